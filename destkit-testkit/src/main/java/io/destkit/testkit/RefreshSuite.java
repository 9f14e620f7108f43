package io.destkit.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.core.catalog.MetaColumns;
import io.destkit.core.catalog.StreamTables;
import io.destkit.core.catalog.TableName;
import io.destkit.protocol.StreamDescriptor;
import io.destkit.sql.SqlDialect;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Refreshes (minimum generation id = generation id) and generations, after Airbyte's
 * truncateRefresh, mergeRefresh, interruptedTruncateWithPriorData,
 * interruptedOverwriteWithoutPriorData and resumeAfterCancelledTruncate.
 */
public abstract class RefreshSuite<C> extends BasicFunctionalitySuite<C> {

  private static ObjectNode refreshed(long generation, long minimum) {
    return generations(datStream(null, "refreshed_users"), generation, minimum);
  }

  private static List<ObjectNode> nondedupFinal(long generation) {
    return Fixtures.withGeneration(dat("sync1_expectedrecords_nondedup_final.jsonl"), generation);
  }

  @Test
  void aTruncateRefreshReplacesTheDataAtACompleteClose() throws Exception {
    // Airbyte's truncateRefresh: full refresh + append with minimum = generation is a refresh too.
    ObjectNode first = refreshed(43, 43).put("sync_mode", "full_refresh");
    sync(catalog(first), completeSync(first, dat("sync1_messages.jsonl")));
    assertFinalRows(catalog(first), nondedupFinal(43));

    ObjectNode second = overwrite(refreshed(44, 44));
    sync(catalog(second), completeSync(second, dat("sync2_messages.jsonl")));
    assertFinalRows(catalog(second), dat("sync2_expectedrecords_fullrefresh_overwrite_with_new_gen_id_final.jsonl"));
  }

  @Test
  void aViewOnTheFinalTableAnswersWithTheNewGenerationAfterATruncateRefresh() throws Exception {
    // PostgreSQL binds a view to the table (the refresh keeps the table); DuckDB binds it by name
    // when it is queried (the refresh swaps in a table of the same columns and types).
    ObjectNode first = overwrite(refreshed(43, 43));
    sync(catalog(first), completeSync(first, dat("sync1_messages.jsonl")));
    StreamTables tables = tables(catalog(first), 0);
    TableName view = new TableName(tables.finalTable().namespace(), tables.finalTable().name() + "_view");
    String name = tables.columns().stream().filter(column -> column.sourceName().equals("name")).findFirst()
        .orElseThrow().name();
    try (TestDatabase database = database("creates a view on the final table")) {
      SqlDialect dialect = database.operations().dialect();
      database.operations().execute("CREATE VIEW " + dialect.qualified(view) + " AS SELECT "
          + dialect.quote(MetaColumns.GENERATION_ID) + ", " + dialect.quote(name) + " FROM "
          + dialect.qualified(tables.finalTable()));
    }

    ObjectNode second = overwrite(refreshed(44, 44));
    sync(catalog(second), completeSync(second, dat("sync2_messages.jsonl")));

    try (TestDatabase database = database()) {
      List<TableRow> viewRows = database.rows(view);
      assertThat(viewRows).extracting(row -> row.values().get(name))
          .containsExactlyInAnyOrderElementsOf(
              database.rows(tables.finalTable()).stream().map(row -> row.values().get(name)).toList());
      assertThat(viewRows).isNotEmpty().allSatisfy(row -> assertThat(row.generationId()).hasValue(44L));
    }
  }

  @Test
  void aMergeRefreshKeepsTheOlderGenerations() throws Exception {
    ObjectNode first = refreshed(43, 0);
    sync(catalog(first), completeSync(first, dat("sync1_messages.jsonl")));
    ObjectNode second = refreshed(44, 0);
    sync(catalog(second), completeSync(second, dat("sync2_messages.jsonl")));

    // The saved expected file predates Charlie's source change in sync1_messages (see SOURCES.md).
    List<ObjectNode> expected = Fixtures.edited(
        dat("sync2_expectedrecords_fullrefresh_append_with_new_gen_id_final.jsonl"),
        row -> {
          if ("Charlie".equals(row.path("name").asText())) {
            row.set("_airbyte_meta", Fixtures.json(
                "{\"changes\":[{\"field\":\"address\",\"change\":\"NULLED\",\"reason\":\"SOURCE_RETRIEVAL_ERROR\"}]}"));
          }
        });
    assertFinalRows(catalog(second), expected);
  }

  @Test
  void anInterruptedTruncateKeepsTheOldDataAndARetryOfTheSameGenerationKeepsTheRowsOfBoth() throws Exception {
    ObjectNode prior = overwrite(refreshed(41, 41));
    sync(catalog(prior), completeSync(prior, Fixtures.concat(dat("sync1_messages.jsonl"), dat("sync2_messages.jsonl"))));
    List<ObjectNode> priorRows =
        Fixtures.withGeneration(dat("sync2_expectedrecords_fullrefresh_append_final.jsonl"), 41);

    ObjectNode refresh = overwrite(refreshed(43, 43));
    // No STREAM_STATUS: the input ends as if the source was cut off, after a STATE that covers its records.
    failedSync(catalog(refresh), new SyncInput().messages(descriptor(refresh), dat("sync1_messages.jsonl"))
        .state(descriptor(refresh), Fixtures.json("{\"position\":1}")));
    assertFinalRows(catalog(refresh), priorRows);

    sync(catalog(refresh), completeSync(refresh, dat("sync1_messages.jsonl")));
    assertFinalRows(catalog(refresh), Fixtures.concat(nondedupFinal(43), nondedupFinal(43)));
  }

  @Test
  void aRetryOfAnInterruptedTruncateHoldsTheRecordsNoStateCoveredOnce() throws Exception {
    ObjectNode prior = overwrite(refreshed(41, 41));
    sync(catalog(prior), completeSync(prior, dat("sync1_messages.jsonl")));
    List<ObjectNode> priorRows = nondedupFinal(41);

    // Cut off before any STATE: the source of the retry sends every record again.
    ObjectNode refresh = overwrite(refreshed(43, 43));
    failedSync(catalog(refresh), new SyncInput().messages(descriptor(refresh), dat("sync1_messages.jsonl")));
    assertFinalRows(catalog(refresh), priorRows);

    sync(catalog(refresh), completeSync(refresh, dat("sync1_messages.jsonl")));
    assertFinalRows(catalog(refresh), nondedupFinal(43));
  }

  @Test
  void anInterruptedTruncateWithoutPriorDataWritesStraightIntoTheTableAndTheRetryAppends() throws Exception {
    ObjectNode refresh = overwrite(refreshed(43, 43));
    failedSync(catalog(refresh), new SyncInput().messages(descriptor(refresh), dat("sync1_messages.jsonl"))
        .state(descriptor(refresh), Fixtures.json("{\"position\":1}")));
    assertFinalRows(catalog(refresh), nondedupFinal(43));

    sync(catalog(refresh), completeSync(refresh, dat("sync2_messages.jsonl")));
    assertFinalRows(catalog(refresh),
        Fixtures.withGeneration(dat("sync2_expectedrecords_fullrefresh_append_final.jsonl"), 43));
  }

  @Test
  void rowsAnInterruptedTruncateWroteStraightIntoTheTableWithoutAStateAreReplacedByTheRetry() throws Exception {
    ObjectNode refresh = overwrite(refreshed(43, 43));
    failedSync(catalog(refresh), new SyncInput().messages(descriptor(refresh), dat("sync1_messages.jsonl")));
    assertFinalRows(catalog(refresh), nondedupFinal(43));

    sync(catalog(refresh), completeSync(refresh, dat("sync1_messages.jsonl")));
    assertFinalRows(catalog(refresh), nondedupFinal(43));
  }

  @Test
  void aStreamThatCompletedIsReplacedEvenWhenAnotherStreamOfTheSyncDidNot() throws Exception {
    ObjectNode priorDone = overwrite(generations(datStream(null, "done"), 41, 41));
    ObjectNode priorCut = overwrite(generations(datStream(null, "cut_off"), 41, 41));
    sync(catalog(priorDone, priorCut), new SyncInput()
        .messages(descriptor(priorDone), dat("sync1_messages.jsonl"))
        .messages(descriptor(priorCut), dat("sync1_messages.jsonl"))
        .complete(descriptor(priorDone), descriptor(priorCut)));

    ObjectNode done = overwrite(generations(datStream(null, "done"), 42, 42));
    ObjectNode cut = overwrite(generations(datStream(null, "cut_off"), 42, 42));
    ObjectNode catalog = catalog(done, cut);
    failedSync(catalog, new SyncInput()
        .messages(descriptor(done), dat("sync2_messages.jsonl"))
        .messages(descriptor(cut), dat("sync2_messages.jsonl"))
        .complete(descriptor(done)));

    assertFinalRows(catalog, 0,
        Fixtures.withGeneration(dat("sync2_expectedrecords_fullrefresh_overwrite_with_new_gen_id_final.jsonl"), 42));
    assertFinalRows(catalog, 1, nondedupFinal(41));
  }

  @Test
  void aNewerRefreshDiscardsTheRowsOfAnOlderInterruptedOne() throws Exception {
    ObjectNode prior = overwrite(refreshed(41, 41));
    sync(catalog(prior), completeSync(prior, dat("sync1_messages.jsonl")));
    ObjectNode interrupted = overwrite(refreshed(42, 42));
    failedSync(catalog(interrupted), new SyncInput().messages(descriptor(interrupted), dat("sync1_messages.jsonl")));

    ObjectNode next = overwrite(refreshed(43, 43));
    sync(catalog(next), completeSync(next, dat("sync2_messages.jsonl")));
    assertFinalRows(catalog(next),
        Fixtures.withGeneration(dat("sync2_expectedrecords_fullrefresh_overwrite_with_new_gen_id_final.jsonl"), 43));
  }

  @Test
  void aTruncateRefreshWithoutRecordsEmptiesTheTable() throws Exception {
    ObjectNode first = overwrite(refreshed(43, 43));
    sync(catalog(first), completeSync(first, dat("sync1_messages.jsonl")));

    ObjectNode empty = overwrite(refreshed(44, 44));
    sync(catalog(empty), completeSync(empty, List.of()));
    assertFinalRows(catalog(empty), List.of());
  }

  @Test
  void anAppendAfterACancelledTruncateKeepsTheRowsTheTruncateCommitted() throws Exception {
    // Airbyte's resumeAfterCancelledTruncate.
    ObjectNode append = refreshed(43, 0);
    sync(catalog(append), completeSync(append, dat("sync1_messages.jsonl")));

    ObjectNode truncate = overwrite(refreshed(44, 44));
    StreamDescriptor stream = descriptor(truncate);
    failedSync(catalog(truncate), new SyncInput().messages(stream, dat("sync2_messages.jsonl"))
        .state(stream, Fixtures.json("{\"position\":1}")).status("INCOMPLETE", stream));
    assertFinalRows(catalog(append), nondedupFinal(43));

    ObjectNode resumed = refreshed(44, 0);
    sync(catalog(resumed), completeSync(resumed, dat("sync2_messages.jsonl")));
    List<ObjectNode> sync2Rows =
        Fixtures.withGeneration(dat("sync2_expectedrecords_fullrefresh_overwrite_with_new_gen_id_final.jsonl"), 44);
    assertFinalRows(catalog(resumed), Fixtures.concat(nondedupFinal(43), sync2Rows, sync2Rows));
  }

  @Test
  void aDedupeRefreshReplacesTheTableWithTheNewGenerationDeduplicated() throws Exception {
    ObjectNode first = dedupe(refreshed(43, 0), "updated_at", "id1", "id2");
    sync(catalog(first), completeSync(first, dat("sync1_messages.jsonl")));

    ObjectNode refresh = dedupe(refreshed(44, 44), "updated_at", "id1", "id2");
    StreamDescriptor stream = descriptor(refresh);
    failedSync(catalog(refresh), new SyncInput().messages(stream, dat("sync2_messages.jsonl")));
    assertFinalRows(catalog(refresh),
        Fixtures.withGeneration(dat("sync1_expectedrecords_dedup_final.jsonl"), 43));

    sync(catalog(refresh), completeSync(refresh, dat("sync2_messages.jsonl")));
    // Only generation 44 remains: Alice's update (Bob's newest version is a delete).
    assertFinalRows(catalog(refresh), Fixtures.withGeneration(
        dat("sync2_expectedrecords_incremental_dedup_final.jsonl").subList(0, 1), 44));
  }
}
