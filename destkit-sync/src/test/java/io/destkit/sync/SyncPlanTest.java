package io.destkit.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.destkit.core.ConfigErrorException;
import io.destkit.core.write.CheckpointStore.StreamProgress;
import io.destkit.protocol.MessageCodec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The configured catalog, ids and states a run gets from the discovered catalog and earlier runs. */
class SyncPlanTest {
  private static final List<String> MODES = List.of("overwrite", "append", "append_dedup", "overwrite_dedup");
  private static final JsonNode CATALOG = json("""
      {"streams": [
        {"name": "users", "json_schema": {}, "supported_sync_modes": ["full_refresh", "incremental"],
         "source_defined_cursor": true, "default_cursor_field": ["updated_at"], "source_defined_primary_key": [["id"]]},
        {"name": "events", "json_schema": {}, "supported_sync_modes": ["full_refresh", "incremental"],
         "default_cursor_field": ["at"]},
        {"name": "products", "json_schema": {}, "supported_sync_modes": ["full_refresh"], "source_defined_primary_key": [["id"]]}
      ]}""");

  private static JsonNode json(String text) {
    try {
      return MessageCodec.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static SyncPlan.PlannedStream stream(SyncPlan plan, String name) {
    return plan.streams().stream().filter(s -> s.descriptor().name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void theSourcesKeysAndCursorsChooseTheModes() {
    SyncPlan plan = SyncPlan.plan(CATALOG, StreamChoices.all(), MODES);
    assertThat(stream(plan, "users").syncMode()).isEqualTo("incremental");
    assertThat(stream(plan, "users").destinationSyncMode()).isEqualTo("append_dedup");
    assertThat(stream(plan, "events").destinationSyncMode()).isEqualTo("append");
    assertThat(stream(plan, "products").syncMode()).isEqualTo("full_refresh");
    assertThat(stream(plan, "products").destinationSyncMode()).isEqualTo("overwrite");
  }

  @Test
  void theUsersChoicesWinAndBadOnesAreNamed() {
    StreamChoices choices = new StreamChoices(Map.of("users",
        new StreamChoices.Choice("full_refresh", "append", null, null)));
    SyncPlan plan = SyncPlan.plan(CATALOG, choices, MODES);
    assertThat(plan.streams()).hasSize(1);
    assertThat(stream(plan, "users").syncMode()).isEqualTo("full_refresh");
    assertThat(stream(plan, "users").destinationSyncMode()).isEqualTo("append");
    assertThatThrownBy(() -> SyncPlan.plan(CATALOG, new StreamChoices(Map.of("products",
        new StreamChoices.Choice("incremental", null, null, null))), MODES))
        .isInstanceOf(ConfigErrorException.class).hasMessageContaining("'products' does not support sync_mode incremental");
    assertThatThrownBy(() -> SyncPlan.plan(CATALOG, new StreamChoices(Map.of("events",
        new StreamChoices.Choice(null, "append_dedup", null, null))), MODES))
        .isInstanceOf(ConfigErrorException.class).hasMessageContaining("'events' has no primary key");
  }

  private static Optional<StreamProgress> progress(long sync, long generation, long minimum, boolean finished, String state) {
    return Optional.of(new StreamProgress(sync, generation, minimum, finished, state));
  }

  private static final String USERS_STATE =
      "{\"type\":\"STATE\",\"state\":{\"type\":\"STREAM\",\"stream\":{\"stream_descriptor\":{\"name\":\"users\"},"
          + "\"stream_state\":{\"updated_at\":\"x\"}},\"destinationStats\":{\"recordCount\":3.0}}}";

  @Test
  void aNewRunTakesTheNextSyncIdKeepsIncrementalGenerationsAndStartsOverwriteOnes() {
    SyncPlan plan = SyncPlan.plan(CATALOG, StreamChoices.all(), MODES)
        .withProgress(List.of(progress(4, 2, 0, true, USERS_STATE), progress(4, 0, 0, true, null),
            progress(4, 3, 3, true, null)), false);
    assertThat(plan.syncId()).isEqualTo(5);
    assertThat(plan.resumed()).isFalse();
    assertThat(stream(plan, "users").generationId()).isEqualTo(2);
    assertThat(stream(plan, "users").minimumGenerationId()).isZero();
    assertThat(stream(plan, "products").generationId()).isEqualTo(4);
    assertThat(stream(plan, "products").minimumGenerationId()).isEqualTo(4);
    JsonNode state = plan.inputState().orElseThrow();
    assertThat(state.isArray()).isTrue();
    assertThat(state.get(0).path("stream").path("stream_state").path("updated_at").asText()).isEqualTo("x");
    assertThat(state.get(0).has("destinationStats")).isFalse();
    assertThat(plan.configuredCatalog().path("streams").get(0).path("sync_id").asLong()).isEqualTo(5);
  }

  @Test
  void theNextAttemptOfAnUnfinishedRunKeepsItsIdsAndState() {
    SyncPlan plan = SyncPlan.plan(CATALOG, StreamChoices.all(), MODES)
        .withProgress(List.of(progress(4, 7, 7, false, USERS_STATE), Optional.empty(),
            progress(4, 3, 3, false, null)), false);
    assertThat(plan.syncId()).isEqualTo(4);
    assertThat(plan.resumed()).isTrue();
    assertThat(stream(plan, "users").generationId()).isEqualTo(7);
    assertThat(stream(plan, "users").minimumGenerationId()).isEqualTo(7);
    assertThat(stream(plan, "users").state()).isEqualTo(USERS_STATE);
    // A full read the source cannot resume starts a generation of its own.
    assertThat(stream(plan, "products").generationId()).isEqualTo(4);
    assertThat(stream(plan, "events").generationId()).isZero();
  }

  @Test
  void aFullRefreshStartsANewGenerationWithoutState() {
    SyncPlan plan = SyncPlan.plan(CATALOG, StreamChoices.all(), MODES)
        .withProgress(List.of(progress(4, 2, 0, false, USERS_STATE), progress(4, 0, 0, false, null),
            progress(4, 3, 3, false, null)), true);
    assertThat(plan.syncId()).isEqualTo(5);
    assertThat(stream(plan, "users").generationId()).isEqualTo(3);
    assertThat(stream(plan, "users").minimumGenerationId()).isEqualTo(3);
    assertThat(stream(plan, "events").generationId()).isEqualTo(1);
    assertThat(plan.inputState()).isEmpty();
  }

  @Test
  void legacyAndGlobalStatesAreGivenInThePlatformsForms() {
    String legacy = "{\"type\":\"STATE\",\"state\":{\"data\":{\"format\":\"base64/gzip\",\"data\":\"H4s\"}},\"sourceIdentity\":\"x\"}";
    SyncPlan plan = SyncPlan.plan(CATALOG, StreamChoices.all(), MODES)
        .withProgress(List.of(progress(1, 0, 0, true, legacy), progress(1, 0, 0, true, legacy), Optional.empty()), false);
    assertThat(plan.inputState().orElseThrow().path("format").asText()).isEqualTo("base64/gzip");
    String global = "{\"type\":\"STATE\",\"state\":{\"type\":\"GLOBAL\",\"global\":{\"shared_state\":{\"lsn\":5}}}}";
    plan = SyncPlan.plan(CATALOG, StreamChoices.all(), MODES)
        .withProgress(List.of(progress(1, 0, 0, true, global), progress(1, 0, 0, true, global), Optional.empty()), false);
    JsonNode state = plan.inputState().orElseThrow();
    assertThat(state).hasSize(1);
    assertThat(state.get(0).path("global").path("shared_state").path("lsn").asInt()).isEqualTo(5);
  }
}
