package io.destkit.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.FileIO;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A warehouse in an S3 bucket (AWS, or an S3-compatible server at {@code s3_endpoint}, addressed
 * path-style), written through Iceberg's {@link S3FileIO}.
 *
 * @param bucket the bucket of {@code warehouse_location}
 * @param prefix the key prefix under the bucket, without slashes at either end (may be empty)
 * @param region the bucket's region
 * @param endpoint the S3-compatible server, when not AWS
 * @param accessKeyId with {@code secretAccessKey}, the static credentials; when empty, the AWS
 *     SDK's default chain (environment, profile, instance or container role) is used
 * @param secretAccessKey never printed: {@link #toString()} leaves it out
 */
record S3Warehouse(
    String bucket, String prefix, Region region, Optional<URI> endpoint, Optional<String> accessKeyId,
    Optional<String> secretAccessKey) implements Warehouse {
  static final String SCHEME = "s3://";
  /** The region of a bucket on an S3-compatible server, which most of them ignore. */
  static final Region DEFAULT_REGION = Region.US_EAST_1;

  /** Binds the S3 fields of a config whose {@code warehouse_location} is an {@code s3://} URI. */
  static S3Warehouse from(String location, JsonNode json) {
    String path = location.substring(SCHEME.length());
    int slash = path.indexOf('/');
    String bucket = slash < 0 ? path : path.substring(0, slash);
    String prefix = slash < 0 ? "" : trimSlashes(path.substring(slash + 1));
    if (bucket.isEmpty()) {
      throw new ConfigErrorException(
          "warehouse_location '" + location + "' names no bucket: give it as s3://bucket/path.");
    }
    String bucketField = json.path("s3_bucket_name").asText("");
    if (!bucketField.isEmpty() && !bucketField.equals(bucket)) {
      throw new ConfigErrorException(
          "warehouse_location '" + location + "' is in bucket '" + bucket + "' but s3_bucket_name is '" + bucketField
              + "'. Make the fields 's3_bucket_name' and 'warehouse_location' name the same bucket.");
    }
    Optional<URI> endpoint = text(json, "s3_endpoint").map(S3Warehouse::endpoint);
    Region region = text(json, "s3_bucket_region").map(Region::of).orElse(DEFAULT_REGION);
    Optional<String> accessKeyId = text(json, "access_key_id");
    Optional<String> secretAccessKey = text(json, "secret_access_key");
    if (accessKeyId.isPresent() != secretAccessKey.isPresent()) {
      throw new ConfigErrorException(
          "Only one of 'access_key_id' and 'secret_access_key' is set: give both, or neither to use the AWS"
              + " default credentials (environment, profile or role).");
    }
    return new S3Warehouse(bucket, prefix, region, endpoint, accessKeyId, secretAccessKey);
  }

  private static Optional<String> text(JsonNode json, String field) {
    String value = json.path(field).asText("").strip();
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }

  private static URI endpoint(String value) {
    URI uri;
    try {
      uri = URI.create(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigErrorException("s3_endpoint '" + value + "' is not a URL: " + e.getMessage(), e);
    }
    if (uri.getHost() == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new ConfigErrorException(
          "s3_endpoint '" + value + "' is not an http:// or https:// URL with a host. Check the field 's3_endpoint'"
              + " (for example https://s3.example.com or http://localhost:9000).");
    }
    return uri;
  }

  private static String trimSlashes(String path) {
    int start = 0;
    int end = path.length();
    while (start < end && path.charAt(start) == '/') {
      start++;
    }
    while (end > start && path.charAt(end - 1) == '/') {
      end--;
    }
    return path.substring(start, end);
  }

  @Override
  public String location() {
    return SCHEME + bucket + (prefix.isEmpty() ? "" : "/" + prefix);
  }

  /** Where the warehouse's requests go, as errors name it. */
  String endpointName() {
    return endpoint.map(URI::toString).orElse("AWS S3 in " + region.id());
  }

  /**
   * Iceberg's S3 file access on this warehouse's client. The asynchronous client is given too
   * (Iceberg would otherwise build its own factory from AWS properties, which needs the KMS and STS
   * SDKs), though only Iceberg's analytics accelerator, left off, would use it.
   */
  @Override
  public FileIO openFileIO() {
    return new S3FileIO(this::client, this::asyncClient);
  }

  @Override
  public void prepare() {
    try (S3Client client = client()) {
      client.headBucket(request -> request.bucket(bucket));
    }
  }

  /**
   * A client of the warehouse's bucket. Checksums are sent and checked only where S3 requires
   * them, and then as Content-MD5 (a multi-object delete): several S3-compatible servers refuse the
   * SDK's default CRC32 checksums, and S3 accepts both.
   */
  S3Client client() {
    S3ClientBuilder builder = S3Client.builder()
        .httpClientBuilder(UrlConnectionHttpClient.builder()
            .connectionTimeout(Duration.ofSeconds(10))
            .socketTimeout(Duration.ofSeconds(60)))
        .region(region)
        .credentialsProvider(credentials())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .addPlugin(LegacyMd5Plugin.create());
    endpoint.ifPresent(uri -> builder.endpointOverride(uri).forcePathStyle(true));
    return builder.build();
  }

  private S3AsyncClient asyncClient() {
    throw new UnsupportedOperationException(
        "The asynchronous S3 client is not used by destination-iceberg (s3.analytics-accelerator.enabled is off)");
  }

  private AwsCredentialsProvider credentials() {
    if (accessKeyId.isPresent() && secretAccessKey.isPresent()) {
      return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId.get(), secretAccessKey.get()));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  @Override
  public String toString() {
    return "S3Warehouse[location=" + location() + ", region=" + region.id() + ", endpoint=" + endpointName()
        + ", accessKeyId=" + (accessKeyId.isPresent() ? "(set)" : "(default chain)") + "]";
  }
}
