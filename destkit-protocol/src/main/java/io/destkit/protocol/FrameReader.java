package io.destkit.protocol;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Splits a byte stream of length-delimited messages (protobuf's {@code writeDelimitedTo}: a varint
 * length, then that many bytes) into frames, each exposed as a slice of an internal buffer that
 * stays valid until the next call to {@link #next()}. The buffer grows for a large frame, up to a
 * maximum, and returns to its normal size after it.
 */
public final class FrameReader {
  private final InputStream in;
  private final int normalSize;
  private final int maxFrameBytes;
  private byte[] buffer;
  private int frameLength;
  private long frameNumber;
  private long bytesRead;

  /**
   * @param bufferSize the buffer's normal size
   * @param maxFrameBytes the largest frame accepted
   */
  public FrameReader(InputStream in, int bufferSize, int maxFrameBytes) {
    if (maxFrameBytes < 1) {
      throw new IllegalArgumentException("maxFrameBytes must be positive: " + maxFrameBytes);
    }
    this.in = in;
    this.normalSize = Math.max(16, bufferSize);
    this.maxFrameBytes = maxFrameBytes;
    this.buffer = new byte[normalSize];
  }

  /**
   * Advances to the next frame; returns false at the end of the stream (between frames).
   *
   * @throws EOFException when the stream ends within a frame or its length
   * @throws IOException when a length is malformed (over 5 bytes, or negative) or over the maximum
   */
  public boolean next() throws IOException {
    int first = in.read();
    if (first < 0) {
      return false;
    }
    long length = first & 0x7F;
    int shift = 7;
    int lengthBytes = 1;
    int b = first;
    while ((b & 0x80) != 0) {
      b = in.read();
      if (b < 0) {
        throw new EOFException("The stream ends within the length of frame " + (frameNumber + 1));
      }
      if (++lengthBytes > 5) {
        throw new IOException("The length of frame " + (frameNumber + 1) + " is not a 32-bit varint");
      }
      length |= (long) (b & 0x7F) << shift;
      shift += 7;
    }
    if (length > maxFrameBytes) {
      throw new IOException("Frame " + (frameNumber + 1) + " is " + length + " bytes, over the maximum of "
          + maxFrameBytes);
    }
    int size = (int) length;
    if (size > buffer.length) {
      buffer = new byte[Math.max(size, Math.min(maxFrameBytes, buffer.length * 2))];
    } else if (buffer.length > normalSize && size <= normalSize) {
      buffer = new byte[normalSize];
    }
    int read = in.readNBytes(buffer, 0, size);
    if (read < size) {
      throw new EOFException("The stream ends within frame " + (frameNumber + 1) + " (" + read + " of " + size
          + " bytes)");
    }
    frameLength = size;
    frameNumber++;
    bytesRead += lengthBytes + size;
    return true;
  }

  /** The buffer holding the current frame from offset 0. */
  public byte[] buffer() {
    return buffer;
  }

  public int frameLength() {
    return frameLength;
  }

  /** The current frame's number, counting from 1. */
  public long frameNumber() {
    return frameNumber;
  }

  /** Bytes read so far, lengths included. */
  public long bytesRead() {
    return bytesRead;
  }

  /** A copy of the current frame (for tests and error messages). */
  public byte[] frame() {
    return Arrays.copyOf(buffer, frameLength);
  }
}
