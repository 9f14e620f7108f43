package io.destkit.iceberg;

import io.destkit.core.ConfigErrorException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;

/**
 * The failures of an S3 warehouse that the user fixes in the config: a bucket that does not exist,
 * credentials S3 refuses, a region that is not the bucket's, an endpoint where nothing answers.
 * The messages name the fields, never their secret values.
 */
final class S3Errors {
  private static final Set<String> REFUSED_CREDENTIALS = Set.of(
      "InvalidAccessKeyId", "SignatureDoesNotMatch", "InvalidSecurity", "InvalidToken", "ExpiredToken",
      "AccessDenied", "AllAccessDisabled", "AccountProblem");
  private static final Set<String> WRONG_REGION = Set.of(
      "PermanentRedirect", "AuthorizationHeaderMalformed", "IllegalLocationConstraintException");

  /** The header in which S3 answers with the bucket's region. */
  static final String BUCKET_REGION_HEADER = "x-amz-bucket-region";

  private S3Errors() {}

  /** The config error of {@code t} (one link of a failure's causes), if it is one. */
  static Optional<ConfigErrorException> classify(Throwable t, S3Warehouse warehouse, Throwable failure) {
    String bucket = "bucket '" + warehouse.bucket() + "' at " + warehouse.endpointName();
    if (t instanceof NoSuchBucketException) {
      return Optional.of(noSuchBucket(bucket, failure));
    }
    if (t instanceof AwsServiceException service) {
      String code = service.awsErrorDetails() == null ? null : service.awsErrorDetails().errorCode();
      String what = " (HTTP " + service.statusCode() + (code == null ? "" : ", " + code) + ")";
      if ("NoSuchBucket".equals(code)) {
        return Optional.of(noSuchBucket(bucket, failure));
      }
      // S3 names the bucket's region in this header of its answers about the bucket (a HEAD's 301 or
      // 400 has no body, so no error code, but the header): when it is another, that is the fault.
      Optional<String> bucketRegion = service.awsErrorDetails() == null || service.awsErrorDetails().sdkHttpResponse() == null
          ? Optional.empty()
          : service.awsErrorDetails().sdkHttpResponse().firstMatchingHeader(BUCKET_REGION_HEADER);
      if (bucketRegion.isPresent() && !bucketRegion.get().equalsIgnoreCase(warehouse.region().id())) {
        return Optional.of(wrongRegion(bucket, warehouse, " but in '" + bucketRegion.get() + "'", what, failure));
      }
      if ((code != null && REFUSED_CREDENTIALS.contains(code)) || (code == null && service.statusCode() == 403)) {
        return Optional.of(new ConfigErrorException(
            "S3 refused the credentials for the " + bucket + what + ": a wrong key, or one that may not read and"
                + " write the bucket. Check the fields 'access_key_id' and 'secret_access_key', and the bucket's"
                + " policy.", failure));
      }
      if ((code != null && WRONG_REGION.contains(code)) || (code == null && service.statusCode() == 301)) {
        return Optional.of(wrongRegion(bucket, warehouse, "", what, failure));
      }
      if (code == null && service.statusCode() == 404) {
        return Optional.of(noSuchBucket(bucket, failure));
      }
      return Optional.empty();
    }
    if (t instanceof SdkClientException) {
      for (Throwable cause = t.getCause(); cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
        if (cause instanceof UnknownHostException || cause instanceof ConnectException
            || cause instanceof NoRouteToHostException || cause instanceof SocketTimeoutException
            || cause instanceof SSLException) {
          return Optional.of(new ConfigErrorException(
              "Cannot reach S3 at " + warehouse.endpointName() + " (" + cause.getClass().getSimpleName() + "): the"
                  + " host is unknown or nothing answers there. Check the field 's3_endpoint' (scheme, host and"
                  + " port), and that the server accepts connections from this host.", failure));
        }
      }
    }
    return Optional.empty();
  }

  private static ConfigErrorException wrongRegion(
      String bucket, S3Warehouse warehouse, String where, String what, Throwable failure) {
    return new ConfigErrorException(
        "The " + bucket + " is not in region '" + warehouse.region().id() + "'" + where + what + ". Check the field"
            + " 's3_bucket_region'.", failure);
  }

  private static ConfigErrorException noSuchBucket(String bucket, Throwable failure) {
    return new ConfigErrorException(
        "The " + bucket + " does not exist. Check the fields 's3_bucket_name' and 'warehouse_location' (and"
            + " 's3_endpoint'), or create the bucket.", failure);
  }
}
