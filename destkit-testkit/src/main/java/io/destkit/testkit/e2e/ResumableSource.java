package io.destkit.testkit.e2e;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.destkit.testkit.e2e.SyncPlan.StateMode;
import io.destkit.testkit.e2e.SyncPlan.StreamPlan;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * A deterministic source that resumes: for a {@link SyncPlan} and a {@link ResumePosition}, the
 * Airbyte messages an attempt sends, as JSON lines. Every attempt walks the same interleaving of
 * the streams' records (drawn from the seed, each next record from a stream chosen in proportion
 * to the records it has left) and sends each record its position does not cover, with a new
 * {@code emitted_at}. After a stream's {@code stateEvery}-th record it sends a STREAM state with
 * the stream's position (or, in GLOBAL mode, after every {@code globalStateEvery}-th record of all
 * streams, one state with every stream's position); after a stream's last record, {@code
 * STREAM_STATUS COMPLETE}, also when this attempt had nothing left to send of it. Each attempt
 * starts with {@code STREAM_STATUS STARTED} for every stream.
 */
public final class ResumableSource {
  /** Records are emitted from this instant on; each attempt is 10^8 ms later. */
  private static final long FIRST_EMITTED_AT = 1_760_000_000_000L;

  private final SyncPlan plan;

  public ResumableSource(SyncPlan plan) {
    this.plan = plan;
  }

  public SyncPlan plan() {
    return plan;
  }

  /** One message of an attempt; {@code stream} is null for a GLOBAL state. */
  public record Message(Type type, String stream, String json) {
    public enum Type { RECORD, STATE, STREAM_STATUS }

    public boolean isRecord() {
      return type == Type.RECORD;
    }
  }

  /** The messages attempt {@code attempt} (from 1) sends when it resumes from {@code from}. */
  public Iterator<Message> messages(ResumePosition from, int attempt) {
    return new AttemptMessages(from, attempt);
  }

  /** The records an attempt that resumes from {@code from} sends. */
  public long recordsToSend(ResumePosition from) {
    long records = 0;
    for (StreamPlan stream : plan.streams()) {
      records += Math.max(0, stream.records() - from.of(stream.name()));
    }
    return records;
  }

  /** The records an attempt from {@code from} sends before its first STATE (all of them when it sends none). */
  public long recordsBeforeFirstState(ResumePosition from) {
    long records = 0;
    for (Iterator<Message> messages = messages(from, 1); messages.hasNext(); ) {
      Message message = messages.next();
      if (message.type() == Message.Type.STATE) {
        break;
      }
      if (message.isRecord()) {
        records++;
      }
    }
    return records;
  }

  private final class AttemptMessages implements Iterator<Message> {
    private final ResumePosition from;
    private final long emittedAtBase;
    private final SplittableRandom order;
    private final long[] sent;
    private long remaining;
    private long walked;
    private final ArrayDeque<Message> pending = new ArrayDeque<>();

    AttemptMessages(ResumePosition from, int attempt) {
      this.from = from;
      this.emittedAtBase = FIRST_EMITTED_AT + attempt * 100_000_000L;
      this.order = new SplittableRandom(SyncPlan.mix(plan.seed(), plan.sync(), -2, -2));
      this.sent = new long[plan.streams().size()];
      this.remaining = plan.totalRecords();
      for (StreamPlan stream : plan.streams()) {
        pending.add(status(stream, "STARTED"));
      }
    }

    @Override
    public boolean hasNext() {
      while (pending.isEmpty() && remaining > 0) {
        walkOneRecord();
      }
      return !pending.isEmpty();
    }

    @Override
    public Message next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return pending.poll();
    }

    /** The next record of the interleaving, and what follows it; nothing for a record {@code from} covers. */
    private void walkOneRecord() {
      StreamPlan stream = nextStream();
      long seq = sent[stream.index()]++;
      remaining--;
      walked++;
      boolean resent = seq >= from.of(stream.name());
      if (resent) {
        pending.add(record(stream, seq));
      }
      long position = seq + 1;
      boolean last = position == stream.records();
      if (plan.mode() == StateMode.STREAM) {
        if (resent && stream.stream().emitsStates()
            && (position % stream.stateEvery() == 0 || (last && stream.finalState()))) {
          pending.add(streamState(stream, position));
        }
      } else if (resent && (walked % plan.globalStateEvery() == 0 || (remaining == 0 && plan.finalGlobalState()))) {
        pending.add(globalState());
      }
      if (last) {
        pending.add(status(stream, "COMPLETE"));
      }
    }

    private StreamPlan nextStream() {
      long pick = order.nextLong(remaining);
      for (StreamPlan stream : plan.streams()) {
        long left = stream.records() - sent[stream.index()];
        if (pick < left) {
          return stream;
        }
        pick -= left;
      }
      throw new IllegalStateException("no stream has records left");
    }

    private Message record(StreamPlan stream, long seq) {
      ObjectNode message = ConnectorProcess.JSON.createObjectNode().put("type", "RECORD");
      ObjectNode record = message.putObject("record").put("stream", stream.name());
      record.putObject("data")
          .put("id", plan.id(stream, seq))
          .put("sync", plan.sync())
          .put("seq", seq)
          .put("updated_at", plan.updatedAt(seq))
          .put("note", plan.note(stream, seq));
      record.put("emitted_at", emittedAtBase + walked);
      return new Message(Message.Type.RECORD, stream.name(), message.toString());
    }

    private Message streamState(StreamPlan stream, long position) {
      ObjectNode message = ConnectorProcess.JSON.createObjectNode().put("type", "STATE");
      ObjectNode body = message.putObject("state").put("type", "STREAM").putObject("stream");
      body.putObject("stream_descriptor").put("name", stream.name());
      body.putObject("stream_state").put("position", position).put("sync", plan.sync());
      return new Message(Message.Type.STATE, stream.name(), message.toString());
    }

    private Message globalState() {
      ObjectNode message = ConnectorProcess.JSON.createObjectNode().put("type", "STATE");
      ObjectNode global = message.putObject("state").put("type", "GLOBAL").putObject("global");
      global.putObject("shared_state").put("sync", plan.sync()).put("records", walked);
      ArrayNode streamStates = global.putArray("stream_states");
      for (StreamPlan stream : plan.streams()) {
        ObjectNode streamState = streamStates.addObject();
        streamState.putObject("stream_descriptor").put("name", stream.name());
        streamState.putObject("stream_state").put("position", sent[stream.index()]);
      }
      return new Message(Message.Type.STATE, null, message.toString());
    }

    private Message status(StreamPlan stream, String status) {
      ObjectNode message = ConnectorProcess.JSON.createObjectNode().put("type", "TRACE");
      ObjectNode trace = message.putObject("trace").put("type", "STREAM_STATUS").put("emitted_at", emittedAtBase + walked);
      ObjectNode body = trace.putObject("stream_status");
      body.putObject("stream_descriptor").put("name", stream.name());
      body.put("status", status);
      return new Message(Message.Type.STREAM_STATUS, stream.name(), message.toString());
    }
  }
}
