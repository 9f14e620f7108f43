package io.destkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LineReaderTest {

  /** Returns at most one byte per read, so that every line and terminator is split across reads. */
  private static final class Trickle extends FilterInputStream {
    Trickle(InputStream in) {
      super(in);
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return super.read(b, off, Math.min(len, 1));
    }
  }

  private static InputStream bytes(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String line(LineReader reader) {
    return new String(reader.buffer(), reader.lineStart(), reader.lineLength(), StandardCharsets.UTF_8);
  }

  private static List<String> lines(InputStream in, int bufferSize) throws IOException {
    LineReader reader = new LineReader(in, bufferSize);
    List<String> out = new ArrayList<>();
    while (reader.next()) {
      out.add(line(reader));
    }
    assertThat(reader.next()).as("next() after the end").isFalse();
    return out;
  }

  private static List<String> lines(String text) throws IOException {
    List<String> big = lines(bytes(text), 1 << 16);
    assertThat(lines(bytes(text), 2)).as("with a 2-byte buffer").isEqualTo(big);
    assertThat(lines(new Trickle(bytes(text)), 3)).as("one byte per read").isEqualTo(big);
    return big;
  }

  @Test
  void linesEndedByNewlineAreSplitWithoutTheTerminator() throws IOException {
    assertThat(lines("{\"a\":1}\n{\"b\":2}\n")).containsExactly("{\"a\":1}", "{\"b\":2}");
  }

  @Test
  void linesEndedByCarriageReturnAndNewlineLoseBoth() throws IOException {
    assertThat(lines("one\r\ntwo\r\n")).containsExactly("one", "two");
  }

  @Test
  void bothTerminatorsMayBeMixedInOneInput() throws IOException {
    assertThat(lines("one\r\ntwo\nthree\r\n")).containsExactly("one", "two", "three");
  }

  @Test
  void theLastLineWithoutANewlineIsStillALine() throws IOException {
    assertThat(lines("one\ntwo")).containsExactly("one", "two");
  }

  @Test
  void aLastLineEndingWithACarriageReturnOnlyLosesIt() throws IOException {
    assertThat(lines("one\r\ntwo\r")).containsExactly("one", "two");
  }

  @Test
  void aCarriageReturnInsideALineIsKept() throws IOException {
    assertThat(lines("a\rb\n")).containsExactly("a\rb");
  }

  @Test
  void emptyLinesAreReturnedAsEmptyLines() throws IOException {
    assertThat(lines("a\n\n\r\nb\n\n")).containsExactly("a", "", "", "b", "");
  }

  @Test
  void anEmptyInputHasNoLines() throws IOException {
    assertThat(lines("")).isEmpty();
  }

  @Test
  void aSingleNewlineIsOneEmptyLine() throws IOException {
    assertThat(lines("\n")).containsExactly("");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 64})
  void linesLongerThanTheBufferAreReturnedWhole(int bufferSize) throws IOException {
    String longLine = "x".repeat(1000) + "y";
    String text = "short\n" + longLine + "\r\n" + "z".repeat(300) + "\nend";

    assertThat(lines(bytes(text), bufferSize)).containsExactly("short", longLine, "z".repeat(300), "end");
    assertThat(lines(new Trickle(bytes(text)), bufferSize))
        .containsExactly("short", longLine, "z".repeat(300), "end");
  }

  @Test
  void multiByteCharactersSplitAcrossReadsAreKeptIntact() throws IOException {
    String text = "héllo wörld ✓ 😀\nçà\n";

    assertThat(lines(new Trickle(bytes(text)), 1)).containsExactly("héllo wörld ✓ 😀", "çà");
  }

  @Test
  void lineNumbersStartAtOneAndCountEmptyLines() throws IOException {
    LineReader reader = new LineReader(bytes("a\n\nb\r\n\nc"), 2);
    List<String> seen = new ArrayList<>();
    while (reader.next()) {
      seen.add(reader.lineNumber() + ":" + line(reader));
    }

    assertThat(seen).containsExactly("1:a", "2:", "3:b", "4:", "5:c");
    assertThat(reader.lineNumber()).isEqualTo(5);
  }

  @Test
  void bytesReadCountsEveryByteOfTheInputIncludingTerminators() throws IOException {
    String text = "first line\r\nsecond\n\nthird é";
    int total = text.getBytes(StandardCharsets.UTF_8).length;
    LineReader reader = new LineReader(new Trickle(bytes(text)), 4);

    assertThat(reader.bytesRead()).isZero();
    long consumed = 0;
    while (reader.next()) {
      consumed += reader.lineLength();
      assertThat(reader.bytesRead()).isGreaterThanOrEqualTo(consumed).isLessThanOrEqualTo(total);
    }
    assertThat(reader.bytesRead()).isEqualTo(total);
  }

  @Test
  void bytesReadGrowsAsTheInputIsConsumedNotAllAtOnce() throws IOException {
    String text = "a".repeat(100) + "\n" + "b".repeat(100) + "\n";
    LineReader reader = new LineReader(new Trickle(bytes(text)), 8);

    assertThat(reader.next()).isTrue();
    assertThat(reader.bytesRead()).isEqualTo(101);
    assertThat(reader.next()).isTrue();
    assertThat(reader.bytesRead()).isEqualTo(202);
  }

  @Test
  void blankMeansOnlySpacesTabsAndCarriageReturns() throws IOException {
    LineReader reader = new LineReader(bytes("\n  \t\n \r\r\n x \n{}\n"), 4);
    List<Boolean> blank = new ArrayList<>();
    while (reader.next()) {
      blank.add(reader.isBlank());
    }

    assertThat(blank).containsExactly(true, true, true, false, false);
  }

  @Test
  void theCurrentLineIsASliceOfTheBufferAtItsStartAndLength() throws IOException {
    LineReader reader = new LineReader(bytes("abc\ndefg\n"), 64);

    reader.next();
    reader.next();

    assertThat(reader.lineLength()).isEqualTo(4);
    assertThat(new String(reader.buffer(), reader.lineStart(), 4, StandardCharsets.US_ASCII)).isEqualTo("defg");
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 16, 1 << 16})
  void aLineOverTheMaximumIsAnErrorNamingItsNumberAfterTheLinesBeforeIt(int bufferSize) throws IOException {
    String text = "a\n" + "b".repeat(100) + "\r\n" + "c".repeat(101) + "\nd\n";
    for (InputStream in : List.of(bytes(text), new Trickle(bytes(text)))) {
      LineReader reader = new LineReader(in, bufferSize, 100);

      assertThat(reader.next()).isTrue();
      assertThat(line(reader)).isEqualTo("a");
      assertThat(reader.next()).as("a line of exactly the maximum, \\r\\n not counted").isTrue();
      assertThat(line(reader)).isEqualTo("b".repeat(100));
      assertThatThrownBy(reader::next)
          .isInstanceOfSatisfying(LineTooLongException.class, e -> {
            assertThat(e.lineNumber()).isEqualTo(3);
            assertThat(e.maxLineBytes()).isEqualTo(100);
          })
          .hasMessageContaining("Line 3");
    }
  }

  @Test
  void aLastLineWithoutNewlineOverTheMaximumIsAnErrorToo() throws IOException {
    LineReader reader = new LineReader(bytes("a\n" + "z".repeat(11)), 4, 10);

    assertThat(reader.next()).isTrue();
    assertThatThrownBy(reader::next).isInstanceOf(LineTooLongException.class).hasMessageContaining("Line 2");
  }

  @Test
  void theBufferNeverGrowsPastTheMaximumLineAndItsTerminator() throws IOException {
    LineReader reader = new LineReader(bytes("x".repeat(1000) + "\r\n"), 16, 1000);

    assertThat(reader.next()).isTrue();
    assertThat(reader.lineLength()).isEqualTo(1000);
    assertThat(reader.buffer().length).isLessThanOrEqualTo(1002);
  }

  @Test
  void theBufferReturnsToItsNormalSizeAfterALongLine() throws IOException {
    StringBuilder text = new StringBuilder("short\n").append("L".repeat(100_000)).append('\n');
    for (int i = 0; i < 50; i++) {
      text.append("line ").append(i).append('\n');
    }
    LineReader reader = new LineReader(bytes(text.toString()), 64, 1 << 20);

    assertThat(reader.next()).isTrue();
    assertThat(reader.buffer().length).isEqualTo(64);
    assertThat(reader.next()).isTrue();
    assertThat(reader.lineLength()).isEqualTo(100_000);
    assertThat(reader.buffer().length).isGreaterThanOrEqualTo(100_000);
    List<String> after = new ArrayList<>();
    while (reader.next()) {
      after.add(line(reader));
    }
    assertThat(after).hasSize(50).startsWith("line 0").endsWith("line 49");
    assertThat(reader.buffer().length).isEqualTo(64);
  }
}
