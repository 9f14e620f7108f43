package io.destkit.postgres;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;

/**
 * How the connection reaches the server (config field {@code tunnel_method}, as Airbyte names it):
 * directly, or through an SSH tunnel that logs in with a private key or a password. {@code
 * toString} never shows the key or the password.
 */
public sealed interface TunnelMethod {
  /** Airbyte's default SSH port. */
  int DEFAULT_SSH_PORT = 22;

  /** Connect to {@code host}:{@code port} directly. */
  record NoTunnel() implements TunnelMethod {}

  /** An SSH server (a jump host) that forwards the connection to the database's host and port. */
  sealed interface Ssh extends TunnelMethod permits SshKeyAuth, SshPasswordAuth {
    String host();

    int port();

    String user();

    /** The config field of the credential, for messages: {@code tunnel_method.ssh_key} or ... */
    String credentialField();
  }

  /** Logs in as {@code user} with a private key (PEM or OpenSSH text). */
  record SshKeyAuth(String host, int port, String user, String privateKey) implements Ssh {
    @Override
    public String credentialField() {
      return "tunnel_method.ssh_key";
    }

    @Override
    public String toString() {
      return "SshKeyAuth[host=" + host + ", port=" + port + ", user=" + user + ", privateKey=****]";
    }
  }

  /** Logs in as {@code user} with a password. */
  record SshPasswordAuth(String host, int port, String user, String password) implements Ssh {
    @Override
    public String credentialField() {
      return "tunnel_method.tunnel_user_password";
    }

    @Override
    public String toString() {
      return "SshPasswordAuth[host=" + host + ", port=" + port + ", user=" + user + ", password=****]";
    }
  }

  /** Binds a spec-validated {@code tunnel_method} object; absent means {@link NoTunnel}. */
  static TunnelMethod from(JsonNode json) {
    if (json == null || json.isMissingNode() || json.isNull()) {
      return new NoTunnel();
    }
    String method = json.path("tunnel_method").asText();
    return switch (method) {
      case "NO_TUNNEL" -> new NoTunnel();
      case "SSH_KEY_AUTH" -> new SshKeyAuth(host(json), port(json), user(json), required(json, "ssh_key"));
      case "SSH_PASSWORD_AUTH" ->
          new SshPasswordAuth(host(json), port(json), user(json), required(json, "tunnel_user_password"));
      default -> throw new ConfigErrorException(
          "field 'tunnel_method.tunnel_method' is '" + method + "': use NO_TUNNEL, SSH_KEY_AUTH or SSH_PASSWORD_AUTH.");
    };
  }

  private static String host(JsonNode json) {
    return required(json, "tunnel_host").trim();
  }

  private static int port(JsonNode json) {
    return json.path("tunnel_port").asInt(DEFAULT_SSH_PORT);
  }

  private static String user(JsonNode json) {
    return required(json, "tunnel_user");
  }

  /** The spec requires the field; an empty value (as Airbyte's UI may save it) is named here. */
  private static String required(JsonNode json, String field) {
    String value = json.path(field).asText("");
    if (value.isBlank()) {
      throw new ConfigErrorException(
          "field 'tunnel_method." + field + "' is empty; the tunnel method " + json.path("tunnel_method").asText()
              + " needs it.");
    }
    return value;
  }
}
