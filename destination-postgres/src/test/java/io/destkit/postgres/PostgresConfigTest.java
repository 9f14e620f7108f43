package io.destkit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;
import io.destkit.core.config.Specification;
import io.destkit.core.operation.SecretScrubber;
import io.destkit.protocol.MessageCodec;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The config: validated against spec.json, every problem named by its field, then bound. */
class PostgresConfigTest {
  private static final Specification SPEC = new PostgresDestination().specification();

  private static JsonNode json(String text) {
    try {
      return MessageCodec.MAPPER.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static PostgresConfig bind(String text) {
    JsonNode config = json(text);
    SPEC.validate(config);
    return PostgresConfig.from(config);
  }

  @Test
  void aMinimalConfigTakesTheDefaults() {
    PostgresConfig config = bind("{\"host\": \"db.example.com\", \"database\": \"warehouse\", \"username\": \"airbyte\"}");
    assertThat(config.host()).isEqualTo("db.example.com");
    assertThat(config.port()).isEqualTo(5432);
    assertThat(config.database()).isEqualTo("warehouse");
    assertThat(config.schema()).isEqualTo("public");
    assertThat(config.username()).isEqualTo("airbyte");
    assertThat(config.password()).isEmpty();
    assertThat(config.sslMode()).isEqualTo(new SslMode.Prefer());
    assertThat(config.jdbcUrlParams()).isEmpty();
    assertThat(config.rawDataSchema()).isEqualTo("airbyte_internal");
    assertThat(config.cdcDeletionMode()).isEqualTo(CdcDeletionMode.HARD_DELETE);
    assertThat(config.dropCascade()).isFalse();
  }

  @Test
  void everyFieldIsBound() {
    PostgresConfig config = bind("""
        {"host": "10.0.0.5", "port": 6543, "database": "dw", "schema": "raw", "username": "u",
         "password": "hunter2", "ssl_mode": {"mode": "require"}, "jdbc_url_params": "connectTimeout=30&options=-c statement_timeout=0",
         "raw_data_schema": "staging", "cdc_deletion_mode": "Soft delete", "drop_cascade": true}
        """);
    assertThat(config.port()).isEqualTo(6543);
    assertThat(config.schema()).isEqualTo("raw");
    assertThat(config.password()).contains("hunter2");
    assertThat(config.sslMode()).isEqualTo(new SslMode.Require());
    assertThat(config.jdbcUrlParams())
        .containsExactly(Map.entry("connectTimeout", "30"), Map.entry("options", "-c statement_timeout=0"));
    assertThat(config.rawDataSchema()).isEqualTo("staging");
    assertThat(config.cdcDeletionMode()).isEqualTo(CdcDeletionMode.SOFT_DELETE);
    assertThat(config.dropCascade()).isTrue();
  }

  @Test
  void theVerifyingSslModesCarryTheirCertificates() {
    PostgresConfig ca = bind("""
        {"host": "h", "database": "d", "username": "u",
         "ssl_mode": {"mode": "verify-ca", "ca_certificate": "-----BEGIN CERTIFICATE-----\\nCA\\n-----END CERTIFICATE-----"}}
        """);
    assertThat(ca.sslMode()).isEqualTo(
        new SslMode.VerifyCa("-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----", Optional.empty()));
    PostgresConfig full = bind("""
        {"host": "h", "database": "d", "username": "u",
         "ssl_mode": {"mode": "verify-full", "ca_certificate": "CA", "client_certificate": "CERT",
                      "client_key": "KEY", "client_key_password": "keypass"}}
        """);
    assertThat(full.sslMode()).isEqualTo(new SslMode.VerifyFull("CA", "CERT", "KEY", Optional.of("keypass")));
    assertThat(full.sslMode().mode()).isEqualTo("verify-full");
  }

  @Test
  void missingRequiredFieldsAreNamed() {
    assertThat(SPEC.problems(json("{\"port\": 5432}")))
        .containsExactly(
            "missing required field 'database'", "missing required field 'host'", "missing required field 'username'");
  }

  @Test
  void badValuesAreNamedByField() {
    assertThat(SPEC.problems(json("{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\", \"port\": \"x\"}")))
        .singleElement().asString().startsWith("field 'port'");
    assertThat(SPEC.problems(json("{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\", \"port\": 70000}")))
        .singleElement().asString().startsWith("field 'port'");
    assertThat(SPEC.problems(json(
            "{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\", \"cdc_deletion_mode\": \"Maybe delete\"}")))
        .singleElement().asString().startsWith("field 'cdc_deletion_mode'");
    assertThat(SPEC.problems(json("{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\", \"drop_cascade\": \"yes\"}")))
        .singleElement().asString().startsWith("field 'drop_cascade'");
  }

  @Test
  void anSslModeMissingItsCertificateIsNamed() {
    assertThat(SPEC.problems(json(
            "{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\", \"ssl_mode\": {\"mode\": \"verify-ca\"}}")))
        .containsExactly("missing required field 'ssl_mode.ca_certificate'");
    assertThat(SPEC.problems(json("""
            {"host": "h", "database": "d", "username": "u", "ssl_mode": {"mode": "verify-full", "ca_certificate": "CA"}}
            """)))
        .containsExactly("missing required field 'ssl_mode.client_certificate'", "missing required field 'ssl_mode.client_key'");
  }

  @Test
  void anUnknownSslModeIsNamedWithTheValidOnes() {
    assertThat(SPEC.problems(json(
            "{\"host\": \"h\", \"database\": \"d\", \"username\": \"u\", \"ssl_mode\": {\"mode\": \"sometimes\"}}")))
        .containsExactly("field 'ssl_mode.mode' must be one of disable, allow, prefer, require, verify-ca, verify-full");
  }

  @Test
  void jdbcUrlParamsMustBeKeyValuePairs() {
    assertThat(PostgresConfig.parseJdbcUrlParams("a=1&&b=x=y&")).containsExactly(Map.entry("a", "1"), Map.entry("b", "x=y"));
    assertThatThrownBy(() -> PostgresConfig.parseJdbcUrlParams("a=1&oops"))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("jdbc_url_params")
        .hasMessageContaining("pair 2")
        .hasMessageNotContaining("oops");
  }

  @Test
  void jdbcUrlParamsCannotOverrideTheFieldsThatSetTheSameProperty() {
    assertThatThrownBy(() -> PostgresConfig.parseJdbcUrlParams("password=x"))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("'password'");
    assertThatThrownBy(() -> PostgresConfig.parseJdbcUrlParams("sslmode=disable"))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("ssl_mode");
  }

  @Test
  void toStringShowsNoSecret() {
    PostgresConfig config = bind("""
        {"host": "h", "database": "d", "username": "u", "password": "hunter2",
         "ssl_mode": {"mode": "verify-full", "ca_certificate": "CA-PEM", "client_certificate": "CERT-PEM",
                      "client_key": "KEY-PEM", "client_key_password": "keypass"}}
        """);
    assertThat(config.toString()).doesNotContain("hunter2", "CA-PEM", "CERT-PEM", "KEY-PEM", "keypass").contains("****");
  }

  @Test
  void theSpecMarksThePasswordAndCertificatesSecretSoTheyAreScrubbed() {
    JsonNode config = json("""
        {"host": "h", "database": "d", "username": "u", "password": "hunter2",
         "ssl_mode": {"mode": "verify-full", "ca_certificate": "CA-PEM", "client_certificate": "CERT-PEM",
                      "client_key": "KEY-PEM", "client_key_password": "keypass"}}
        """);
    SecretScrubber scrubber = SecretScrubber.of(SPEC.schema(), config);
    assertThat(scrubber.scrub("hunter2 CA-PEM CERT-PEM KEY-PEM keypass u h")).isEqualTo("**** **** **** **** **** u h");
  }

  @Test
  void theJdbcUrlHoldsNoSecretAndNoSetting() {
    PostgresConfig config = bind(
        "{\"host\": \"::1\", \"database\": \"my db\", \"username\": \"u\", \"password\": \"hunter2\", \"jdbc_url_params\": \"a=b\"}");
    assertThat(PostgresDatabase.jdbcUrl(config)).isEqualTo("jdbc:postgresql://[::1]:5432/my%20db");
    try (SslFiles ssl = SslFiles.write(config.sslMode())) {
      assertThat(PostgresDatabase.connectionProperties(config, ssl))
          .containsEntry("a", "b")
          .containsEntry("sslmode", "prefer")
          .doesNotContainKeys("password", "user");
    }
  }

  private static final String BASE = "\"host\": \"h\", \"database\": \"d\", \"username\": \"u\"";

  @Test
  void sslTrueWithoutAnSslModeRequiresSsl() {
    assertThat(bind("{" + BASE + ", \"ssl\": true}").sslMode()).isEqualTo(new SslMode.Require());
    assertThat(bind("{" + BASE + ", \"ssl\": false}").sslMode()).isEqualTo(new SslMode.Prefer());
  }

  @Test
  void aGivenSslModeAppliesWhateverSslSays() {
    assertThat(bind("{" + BASE + ", \"ssl\": true, \"ssl_mode\": {\"mode\": \"disable\"}}").sslMode())
        .isEqualTo(new SslMode.Disable());
    assertThat(bind("{" + BASE + ", \"ssl\": false, \"ssl_mode\": {\"mode\": \"verify-ca\", \"ca_certificate\": \"CA\"}}")
            .sslMode())
        .isEqualTo(new SslMode.VerifyCa("CA", Optional.empty()));
  }

  @Test
  void unconstrainedNumberIsBoundAndDefaultsToFalse() {
    assertThat(bind("{" + BASE + "}").unconstrainedNumber()).isFalse();
    assertThat(bind("{" + BASE + ", \"unconstrained_number\": true}").unconstrainedNumber()).isTrue();
  }

  @Test
  void noTunnelOrNoTunnelMethodConnectsDirectly() {
    assertThat(bind("{" + BASE + "}").tunnelMethod()).isEqualTo(new TunnelMethod.NoTunnel());
    assertThat(bind("{" + BASE + ", \"tunnel_method\": {\"tunnel_method\": \"NO_TUNNEL\"}}").tunnelMethod())
        .isEqualTo(new TunnelMethod.NoTunnel());
  }

  private static final String KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE\\n"
      + "bm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW\\n-----END OPENSSH PRIVATE KEY-----\\n";

  @Test
  void theSshMethodsAreBoundWithTheirCredentialAndThePortDefaultsTo22() {
    assertThat(bind("{" + BASE + ", \"tunnel_method\": {\"tunnel_method\": \"SSH_KEY_AUTH\", \"tunnel_host\":"
            + " \" bastion.example.com \", \"tunnel_port\": 2222, \"tunnel_user\": \"jump\", \"ssh_key\": \"" + KEY + "\"}}")
            .tunnelMethod())
        .isEqualTo(new TunnelMethod.SshKeyAuth("bastion.example.com", 2222, "jump", KEY.replace("\\n", "\n")));
    // Airbyte's UI sends the other option's credential empty: it is ignored.
    assertThat(bind("{" + BASE + ", \"tunnel_method\": {\"tunnel_method\": \"SSH_PASSWORD_AUTH\", \"tunnel_host\":"
            + " \"10.0.0.9\", \"tunnel_user\": \"jump\", \"tunnel_user_password\": \"s3cret\", \"ssh_key\": \"\"}}")
            .tunnelMethod())
        .isEqualTo(new TunnelMethod.SshPasswordAuth("10.0.0.9", 22, "jump", "s3cret"));
  }

  @Test
  void anSshMethodNamesEachMissingFieldAndAnEmptyCredential() {
    assertThat(SPEC.problems(json("{" + BASE + ", \"tunnel_method\": {\"tunnel_method\": \"SSH_KEY_AUTH\"}}")))
        .contains("missing required field 'tunnel_method.tunnel_host'", "missing required field 'tunnel_method.ssh_key'",
            "missing required field 'tunnel_method.tunnel_user'");
    assertThat(SPEC.problems(json("{" + BASE + ", \"tunnel_method\": {\"tunnel_method\": \"SSH_PASSWORD_AUTH\","
            + " \"tunnel_host\": \"b\", \"tunnel_port\": 22, \"tunnel_user\": \"t\"}}")))
        .containsExactly("missing required field 'tunnel_method.tunnel_user_password'");
    assertThat(SPEC.problems(json("{" + BASE + ", \"tunnel_method\": {\"tunnel_method\": \"SSH_AGENT\"}}")))
        .containsExactly("field 'tunnel_method.tunnel_method' must be one of NO_TUNNEL, SSH_KEY_AUTH, SSH_PASSWORD_AUTH");
    assertThatThrownBy(() -> bind("{" + BASE + ", \"tunnel_method\": {\"tunnel_method\": \"SSH_KEY_AUTH\","
            + " \"tunnel_host\": \"b\", \"tunnel_port\": 22, \"tunnel_user\": \"t\", \"ssh_key\": \"\"}}"))
        .isInstanceOf(ConfigErrorException.class)
        .hasMessageContaining("field 'tunnel_method.ssh_key' is empty");
  }

  @Test
  void theSpecMarksTheKeyAndTunnelPasswordSecretSoEveryLineOfTheKeyIsScrubbed() {
    JsonNode config = json("{" + BASE + ", \"tunnel_method\": {\"tunnel_method\": \"SSH_KEY_AUTH\", \"tunnel_host\":"
        + " \"b\", \"tunnel_port\": 22, \"tunnel_user\": \"t\", \"ssh_key\": \"" + KEY + "\"}}");
    SecretScrubber scrubber = SecretScrubber.of(SPEC.schema(), config);
    assertThat(scrubber.scrub("key: " + KEY.replace("\\n", "\n"))).isEqualTo("key: ****");
    assertThat(scrubber.scrub("line b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAE and bm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW"))
        .isEqualTo("line **** and ****");
    JsonNode password = json("{" + BASE + ", \"tunnel_method\": {\"tunnel_method\": \"SSH_PASSWORD_AUTH\","
        + " \"tunnel_host\": \"b\", \"tunnel_port\": 22, \"tunnel_user\": \"t\", \"tunnel_user_password\": \"s3cret-pw\"}}");
    assertThat(SecretScrubber.of(SPEC.schema(), password).scrub("pw s3cret-pw")).isEqualTo("pw ****");
  }

  @Test
  void toStringShowsNeitherTheKeyNorTheTunnelPassword() {
    assertThat(new TunnelMethod.SshKeyAuth("b", 22, "t", "PRIVATE-KEY-TEXT").toString())
        .doesNotContain("PRIVATE-KEY-TEXT").contains("****");
    assertThat(new TunnelMethod.SshPasswordAuth("b", 22, "t", "s3cret").toString()).doesNotContain("s3cret");
  }

  @Test
  void disableTypeDedupeSelectsRawTablesOnlyAndIsOffByDefault() {
    assertThat(bind("{" + BASE + "}").rawTablesOnly()).isFalse();
    assertThat(bind("{" + BASE + ", \"disable_type_dedupe\": false}").rawTablesOnly()).isFalse();
    assertThat(bind("{" + BASE + ", \"disable_type_dedupe\": true}").rawTablesOnly()).isTrue();
  }
}
