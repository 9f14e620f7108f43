package io.destkit.sync;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.protocol.MessageCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * The source's short operations ({@code spec}, {@code check}, {@code discover}): each is run to its
 * end and the one message it answers with is taken; its LOG messages and stderr are shown, a TRACE
 * ERROR or a missing answer is a {@link SourceFailure} naming the operation.
 */
final class SourceConnector {
  private final SourceLauncher launcher;
  private final SyncConsole console;

  SourceConnector(SourceLauncher launcher, SyncConsole console) {
    this.launcher = launcher;
    this.console = console;
  }

  SourceLauncher launcher() {
    return launcher;
  }

  /** The source's config specification (the SPEC message's {@code connectionSpecification}). */
  JsonNode spec() {
    return answer(SourceFailure.Stage.SPEC, "spec", List.of(), "SPEC").path("spec").path("connectionSpecification");
  }

  /** Runs {@code check}; a FAILED status is a config error of the source. */
  void check(String config) {
    JsonNode status = answer(SourceFailure.Stage.CHECK, "check",
        List.of(new SourceLauncher.InputFile("--config", "connectionConfiguration.json", config)), "CONNECTION_STATUS")
        .path("connectionStatus");
    if (!"SUCCEEDED".equals(status.path("status").asText())) {
      throw new SourceFailure(SourceFailure.Stage.CHECK, "config_error",
          "The source's check failed: " + status.path("message").asText("(no message)")
              + ". Fix the source config (--source-config).", null);
    }
  }

  /** The source's catalog ({@code discover}). */
  JsonNode discover(String config) {
    return answer(SourceFailure.Stage.DISCOVER, "discover",
        List.of(new SourceLauncher.InputFile("--config", "source_config.json", config)), "CATALOG").path("catalog");
  }

  private JsonNode answer(SourceFailure.Stage stage, String verb, List<SourceLauncher.InputFile> files, String type) {
    Process process;
    try {
      process = launcher.start(verb, files);
    } catch (IOException e) {
      throw new SourceFailure(stage, "config_error", "Cannot start the " + launcher.describe() + " for '" + verb + "': "
          + e.getMessage(), e);
    }
    Thread stderr = pump(process.getErrorStream(), console::sourceStderr);
    JsonNode answer = null;
    JsonNode error = null;
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode message;
        try {
          message = MessageCodec.MAPPER.readTree(line);
        } catch (IOException notJson) {
          console.sourceStderr(line);
          continue;
        }
        String messageType = message.path("type").asText();
        if (messageType.equals(type) && answer == null) {
          answer = message;
        } else if (messageType.equals("LOG")) {
          console.sourceLog(message.path("log").path("level").asText("INFO"), message.path("log").path("message").asText());
        } else if (messageType.equals("TRACE") && message.path("trace").path("type").asText().equals("ERROR")) {
          error = message.path("trace").path("error");
          console.sourceError(error.path("failure_type").asText("system_error"), error.path("message").asText());
        }
      }
      int code = process.waitFor();
      stderr.join(5000);
      if (error != null) {
        throw new SourceFailure(stage, error.path("failure_type").asText("system_error"),
            "The source's " + verb + " failed (" + error.path("failure_type").asText("system_error") + "): "
                + error.path("message").asText(), null);
      }
      if (answer == null) {
        throw new SourceFailure(stage, "system_error", "The source's " + verb + " exited with code " + code
            + " and printed no " + type + " message (its stderr is shown above).", null);
      }
      return answer;
    } catch (IOException e) {
      throw new SourceFailure(stage, "system_error", "Reading the source's " + verb + " output failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new SourceFailure(stage, "system_error", "Interrupted while the source ran '" + verb + "'", e);
    }
  }

  /** Copies a stream's lines to {@code sink} on a daemon thread. */
  static Thread pump(InputStream in, Consumer<String> sink) {
    Thread thread = new Thread(() -> {
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String line;
        while ((line = lines.readLine()) != null) {
          sink.accept(line);
        }
      } catch (IOException ignored) {
        // The source has gone; what it printed so far was shown.
      }
    }, "destkit-source-stderr");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
