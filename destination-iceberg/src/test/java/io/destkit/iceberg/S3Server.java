package io.destkit.iceberg;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One S3-compatible server per test JVM (S3Proxy on jclouds' in-memory store, on a free port of the
 * loopback address), checking AWS signatures against one access key; a bucket of its own per test.
 */
final class S3Server {
  static final String ACCESS_KEY_ID = "destkit-access-key";
  static final String SECRET_ACCESS_KEY = "Destkit-s3-secret-7c41e9";

  private static S3Proxy proxy;

  private S3Server() {}

  static synchronized URI endpoint() {
    if (proxy == null) {
      Properties properties = new Properties();
      BlobStoreContext context = ContextBuilder.newBuilder("transient")
          .credentials(ACCESS_KEY_ID, SECRET_ACCESS_KEY)
          .overrides(properties)
          .build(BlobStoreContext.class);
      S3Proxy started = S3Proxy.builder()
          .blobStore(context.getBlobStore())
          .endpoint(URI.create("http://127.0.0.1:0"))
          .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY_ID, SECRET_ACCESS_KEY)
          .build();
      try {
        started.start();
        while (!"STARTED".equals(started.getState())) {
          Thread.sleep(10);
        }
      } catch (Exception e) {
        throw new IllegalStateException("S3Proxy did not start", e);
      }
      proxy = started;
    }
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** Creates a new empty bucket. */
  static String createBucket() {
    String bucket = "destkit-" + UUID.randomUUID().toString().substring(0, 13).toLowerCase(Locale.ROOT);
    try (S3Client client = client()) {
      client.createBucket(request -> request.bucket(bucket));
    }
    return bucket;
  }

  /** The keys of every object in the bucket. */
  static List<String> keys(String bucket) {
    List<String> keys = new ArrayList<>();
    try (S3Client client = client()) {
      for (S3Object object : client.listObjectsV2Paginator(request -> request.bucket(bucket)).contents()) {
        keys.add(object.key());
      }
    }
    return keys;
  }

  /** A config of the fixture's catalog whose warehouse is {@code s3://bucket/warehouse} on this server. */
  static ObjectNode config(IcebergFixture fixture, String bucket) {
    ObjectNode config = fixture.config();
    config.put("warehouse_location", "s3://" + bucket + "/warehouse");
    config.put("s3_bucket_name", bucket);
    config.put("s3_bucket_region", "us-east-1");
    config.put("s3_endpoint", endpoint().toString());
    config.put("access_key_id", ACCESS_KEY_ID);
    config.put("secret_access_key", SECRET_ACCESS_KEY);
    return config;
  }

  private static S3Client client() {
    ObjectNode config = io.destkit.protocol.MessageCodec.MAPPER.createObjectNode()
        .put("s3_endpoint", endpoint().toString())
        .put("access_key_id", ACCESS_KEY_ID)
        .put("secret_access_key", SECRET_ACCESS_KEY);
    return S3Warehouse.from("s3://any", config).client();
  }
}
