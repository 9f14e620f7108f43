package io.destkit.iceberg;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * An endpoint that answers every request as AWS S3 answers requests for a bucket of another region
 * than the one the client signs for, on the loopback address. S3Proxy, the S3 server of the other
 * tests, keeps no region per bucket, so it cannot; these are the two answers S3 gives, as its
 * documentation and the AWS SDKs' issues show them: {@code 301 PermanentRedirect} (the global
 * endpoint, or a path-style request to another region's) and {@code 400 AuthorizationHeaderMalformed}
 * (a regional endpoint, signed for the wrong region). Each carries the bucket's region in {@code
 * x-amz-bucket-region}; an answer to a HEAD has the header and the status but no body (and so no
 * error code), as S3's do. The AWS SDK turns the answers into its exceptions itself.
 */
final class OtherRegionS3 implements AutoCloseable {
  /** Which of S3's answers to give. */
  enum Answer { PERMANENT_REDIRECT, AUTHORIZATION_HEADER_MALFORMED }

  private final HttpServer server;
  private final String bucketRegion;
  private final Answer answer;

  OtherRegionS3(String bucketRegion, Answer answer) throws IOException {
    this.bucketRegion = bucketRegion;
    this.answer = answer;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String bucket = exchange.getRequestURI().getPath().split("/").length > 1
          ? exchange.getRequestURI().getPath().split("/")[1]
          : "";
      int status = answer == Answer.PERMANENT_REDIRECT ? 301 : 400;
      String body = answer == Answer.PERMANENT_REDIRECT
          ? "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access must be addressed"
              + " using the specified endpoint. Please send all future requests to this endpoint.</Message>"
              + "<Endpoint>" + bucket + ".s3." + bucketRegion + ".amazonaws.com</Endpoint><Bucket>" + bucket
              + "</Bucket><RequestId>5K9T2BQ3D7X1M0ZA</RequestId></Error>"
          : "<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header is malformed; the"
              + " region 'us-east-1' is wrong; expecting '" + bucketRegion + "'</Message><Region>" + bucketRegion
              + "</Region><RequestId>5K9T2BQ3D7X1M0ZB</RequestId></Error>";
      exchange.getResponseHeaders().set("x-amz-bucket-region", bucketRegion);
      exchange.getResponseHeaders().set("x-amz-request-id", "5K9T2BQ3D7X1M0ZA");
      if (exchange.getRequestMethod().equals("HEAD")) {
        exchange.sendResponseHeaders(status, -1);
        return;
      }
      byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + body).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/xml");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
