package io.destkit.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FrameReaderTest {
  /** A varint length, then the bytes: as protobuf's writeDelimitedTo frames a message. */
  private static void frame(ByteArrayOutputStream out, byte[] payload) {
    int length = payload.length;
    while ((length & ~0x7F) != 0) {
      out.write((length & 0x7F) | 0x80);
      length >>>= 7;
    }
    out.write(length);
    out.writeBytes(payload);
  }

  private static byte[] filled(int size, int value) {
    byte[] bytes = new byte[size];
    Arrays.fill(bytes, (byte) value);
    return bytes;
  }

  @Test
  void framesOfEverySizeComeOutWholeAndInOrder() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int[] sizes = {0, 1, 127, 128, 16_383, 16_384, 300_000, 5};
    for (int i = 0; i < sizes.length; i++) {
      frame(out, filled(sizes[i], i + 1));
    }
    FrameReader reader = new FrameReader(new ByteArrayInputStream(out.toByteArray()), 64, 1 << 20);

    for (int i = 0; i < sizes.length; i++) {
      assertThat(reader.next()).isTrue();
      assertThat(reader.frameNumber()).isEqualTo(i + 1);
      assertThat(reader.frame()).isEqualTo(filled(sizes[i], i + 1));
    }
    assertThat(reader.next()).isFalse();
    assertThat(reader.bytesRead()).isEqualTo(out.size());
    assertThat(reader.buffer()).hasSize(64);
  }

  @Test
  void aStreamCutWithinAFrameOrItsLengthIsAnEndOfFileNamingTheFrame() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, filled(10, 1));
    frame(out, filled(200, 2));
    byte[] cut = Arrays.copyOf(out.toByteArray(), 11 + 100);
    FrameReader reader = new FrameReader(new ByteArrayInputStream(cut), 64, 1 << 20);

    assertThatThrownBy(() -> {
      reader.next();
      reader.next();
    }).isInstanceOf(EOFException.class).hasMessageContaining("within frame 2").hasMessageContaining("98 of 200");

    byte[] lengthOnly = {(byte) 0x80};
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(lengthOnly), 64, 1 << 20).next())
        .isInstanceOf(EOFException.class).hasMessageContaining("within the length of frame 1");
  }

  @Test
  void aMalformedOrOversizedLengthIsRefused() {
    byte[] sixBytes = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(sixBytes), 64, 1 << 20).next())
        .hasMessageContaining("not a 32-bit varint");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frame(out, filled(2000, 1));
    assertThatThrownBy(() -> new FrameReader(new ByteArrayInputStream(out.toByteArray()), 64, 1000).next())
        .hasMessageContaining("Frame 1 is 2000 bytes, over the maximum of 1000");
  }
}
