package io.destkit.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;
import java.util.Optional;

/**
 * How the connection uses SSL (config field {@code ssl_mode}): libpq's modes, as pgjdbc spells
 * them. Certificates and keys are PEM text; {@code toString} never shows them.
 */
public sealed interface SslMode {
  /** pgjdbc's {@code sslmode} value. */
  String mode();

  record Disable() implements SslMode {
    @Override
    public String mode() {
      return "disable";
    }
  }

  record Allow() implements SslMode {
    @Override
    public String mode() {
      return "allow";
    }
  }

  record Prefer() implements SslMode {
    @Override
    public String mode() {
      return "prefer";
    }
  }

  record Require() implements SslMode {
    @Override
    public String mode() {
      return "require";
    }
  }

  record VerifyCa(String caCertificate, Optional<String> clientKeyPassword) implements SslMode {
    @Override
    public String mode() {
      return "verify-ca";
    }

    @Override
    public String toString() {
      return "VerifyCa[caCertificate=****, clientKeyPassword=" + clientKeyPassword.map(p -> "****").orElse("none") + "]";
    }
  }

  record VerifyFull(
      String caCertificate, String clientCertificate, String clientKey, Optional<String> clientKeyPassword)
      implements SslMode {
    @Override
    public String mode() {
      return "verify-full";
    }

    @Override
    public String toString() {
      return "VerifyFull[caCertificate=****, clientCertificate=****, clientKey=****, clientKeyPassword="
          + clientKeyPassword.map(p -> "****").orElse("none") + "]";
    }
  }

  /** Binds a spec-validated {@code ssl_mode} object; absent means {@code prefer}, pgjdbc's default. */
  static SslMode from(JsonNode json) {
    if (json == null || json.isMissingNode() || json.isNull()) {
      return new Prefer();
    }
    String mode = json.path("mode").asText();
    return switch (mode) {
      case "disable" -> new Disable();
      case "allow" -> new Allow();
      case "prefer" -> new Prefer();
      case "require" -> new Require();
      case "verify-ca" -> new VerifyCa(text(json, "ca_certificate"), optional(json, "client_key_password"));
      case "verify-full" -> new VerifyFull(
          text(json, "ca_certificate"), text(json, "client_certificate"), text(json, "client_key"),
          optional(json, "client_key_password"));
      default -> throw new ConfigErrorException(
          "field 'ssl_mode.mode' is '" + mode + "'; use one of disable, allow, prefer, require, verify-ca, verify-full.");
    };
  }

  private static String text(JsonNode json, String field) {
    String value = json.path(field).asText("");
    if (value.isBlank()) {
      throw new ConfigErrorException(
          "field 'ssl_mode." + field + "' is required for ssl_mode " + json.path("mode").asText() + ".");
    }
    return value;
  }

  private static Optional<String> optional(JsonNode json, String field) {
    String value = json.path(field).asText("");
    return value.isEmpty() ? Optional.empty() : Optional.of(value);
  }
}
