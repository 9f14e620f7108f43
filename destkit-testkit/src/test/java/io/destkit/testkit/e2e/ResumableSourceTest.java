package io.destkit.testkit.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.ResumableSource.Message;
import io.destkit.testkit.e2e.SyncPlan.StateMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResumableSourceTest {
  private static final List<CrashStream> STREAMS = CrashStream.standard();

  private static List<Message> attempt(ResumableSource source, ResumePosition from, int attempt) {
    List<Message> messages = new ArrayList<>();
    source.messages(from, attempt).forEachRemaining(messages::add);
    return messages;
  }

  private static ObjectNode json(Message message) {
    return (ObjectNode) ConnectorProcess.readJson(message.json());
  }

  /** Each record as "stream:seq", in the order sent. */
  private static List<String> records(List<Message> messages) {
    return messages.stream().filter(Message::isRecord).map(m -> {
      JsonNode record = json(m).path("record");
      return record.path("stream").asText() + ":" + record.path("data").path("seq").asLong();
    }).toList();
  }

  @Test
  void theSameSeedSendsTheSameMessagesAndAnotherSeedOthers() {
    SyncPlan plan = SyncPlan.generate(2, 11, StateMode.STREAM, 300, STREAMS);
    List<Message> once = attempt(new ResumableSource(plan), ResumePosition.START, 1);
    List<Message> again = attempt(new ResumableSource(SyncPlan.generate(2, 11, StateMode.STREAM, 300, STREAMS)), ResumePosition.START, 1);
    List<Message> other = attempt(new ResumableSource(SyncPlan.generate(2, 12, StateMode.STREAM, 300, STREAMS)), ResumePosition.START, 1);

    assertThat(again).isEqualTo(once);
    assertThat(records(other)).isNotEqualTo(records(once));
    assertThat(records(once)).hasSize((int) plan.totalRecords()).doesNotHaveDuplicates();
  }

  @ParameterizedTest
  @EnumSource(StateMode.class)
  void resumingFromAnyEmittedStateSendsExactlyTheRecordsItDoesNotCoverInTheSameOrder(StateMode mode) {
    ResumableSource source = new ResumableSource(SyncPlan.generate(2, 23, mode, 200, STREAMS));
    List<Message> first = attempt(source, ResumePosition.START, 1);
    List<String> all = records(first);
    List<ObjectNode> states = new ArrayList<>();
    int checked = 0;
    for (Message message : first) {
      if (message.type() != Message.Type.STATE) {
        continue;
      }
      states.add(json(message));
      ResumePosition position = ResumePosition.START.after(states);
      List<String> expected = all.stream()
          .filter(r -> Long.parseLong(r.substring(r.indexOf(':') + 1)) >= position.of(r.substring(0, r.indexOf(':'))))
          .toList();

      List<Message> resumed = attempt(source, position, 2);

      assertThat(records(resumed)).as("resumed from " + position).isEqualTo(expected);
      assertThat(source.recordsToSend(position)).isEqualTo(expected.size());
      checked++;
    }
    assertThat(checked).as("states sent").isGreaterThan(10);
  }

  @Test
  void aGlobalStateCoversEveryRecordBeforeItInAllStreams() {
    ResumableSource source = new ResumableSource(SyncPlan.generate(2, 5, StateMode.GLOBAL, 200, STREAMS));
    Map<String, Long> sent = new LinkedHashMap<>();
    for (Message message : attempt(source, ResumePosition.START, 1)) {
      if (message.isRecord()) {
        sent.merge(message.stream(), 1L, Long::sum);
      } else if (message.type() == Message.Type.STATE) {
        ResumePosition position = ResumePosition.START.after(List.of(json(message)));
        for (CrashStream stream : STREAMS) {
          assertThat(position.of(stream.name())).as(stream.name() + " in " + message.json())
              .isEqualTo(sent.getOrDefault(stream.name(), 0L));
        }
      }
    }
  }

  @Test
  void inStreamModeTheStreamWithoutStatesIsSentWholeByEveryAttempt() {
    SyncPlan plan = SyncPlan.generate(2, 37, StateMode.STREAM, 200, STREAMS);
    ResumableSource source = new ResumableSource(plan);
    List<Message> first = attempt(source, ResumePosition.START, 1);
    List<ObjectNode> states = first.stream().filter(m -> m.type() == Message.Type.STATE).map(ResumableSourceTest::json).toList();

    assertThat(states).extracting(s -> s.path("state").path("stream").path("stream_descriptor").path("name").asText())
        .doesNotContain("audit_log")
        .contains("events", "accounts", "customers", "products");
    ResumePosition position = ResumePosition.START.after(states);
    assertThat(position.of("audit_log")).isZero();
    assertThat(records(attempt(source, position, 2)).stream().filter(r -> r.startsWith("audit_log:")))
        .hasSize((int) plan.stream("audit_log").records());
  }

  @Test
  void everyAttemptStartsEachStreamAndCompletesItAfterItsLastRecordEvenWithNothingLeftToSend() {
    SyncPlan plan = SyncPlan.generate(2, 19, StateMode.STREAM, 100, STREAMS);
    ResumableSource source = new ResumableSource(plan);
    Map<String, Long> done = new LinkedHashMap<>();
    done.put("events", plan.stream("events").records());
    ResumePosition position = new ResumePosition(done);

    List<Message> messages = attempt(source, position, 3);

    List<String> statuses = messages.stream().filter(m -> m.type() == Message.Type.STREAM_STATUS)
        .map(m -> json(m).path("trace").path("stream_status").path("status").asText() + " " + m.stream()).toList();
    assertThat(statuses.subList(0, STREAMS.size())).allMatch(s -> s.startsWith("STARTED"));
    assertThat(statuses.subList(STREAMS.size(), statuses.size()))
        .containsExactlyInAnyOrderElementsOf(STREAMS.stream().map(s -> "COMPLETE " + s.name()).toList());
    assertThat(records(messages)).noneMatch(r -> r.startsWith("events:"));
    for (CrashStream stream : STREAMS) {
      int complete = lastIndexOf(messages, Message.Type.STREAM_STATUS, stream.name());
      int lastRecord = lastIndexOf(messages, Message.Type.RECORD, stream.name());
      assertThat(complete).as(stream.name()).isGreaterThan(lastRecord);
    }
  }

  @Test
  void recordsOfAnAttemptAreEmittedLaterThanThoseOfTheAttemptBefore() {
    ResumableSource source = new ResumableSource(SyncPlan.generate(2, 3, StateMode.STREAM, 50, STREAMS));
    long lastOfFirst = attempt(source, ResumePosition.START, 1).stream().filter(Message::isRecord)
        .mapToLong(m -> json(m).path("record").path("emitted_at").asLong()).max().orElseThrow();
    long firstOfSecond = attempt(source, ResumePosition.START, 2).stream().filter(Message::isRecord)
        .mapToLong(m -> json(m).path("record").path("emitted_at").asLong()).min().orElseThrow();

    assertThat(firstOfSecond).isGreaterThan(lastOfFirst);
  }

  private static int lastIndexOf(List<Message> messages, Message.Type type, String stream) {
    int found = -1;
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).type() == type && stream.equals(messages.get(i).stream())) {
        found = i;
      }
    }
    return found;
  }
}
