package org.interesttracker.serde;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding of one record held in memory, for input nobody vouches for. Avro's own
 * decoder trusts length prefixes: a body that declares a 2 GB string makes it allocate (or throw an
 * unchecked exception it does not declare) before it notices the record has ten bytes. This one
 * checks every length and item count against the bytes that are actually left before allocating
 * anything, rejects invalid UTF-8, booleans other than 0 and 1, and over-long varints, and lets the
 * caller insist that nothing trails the record.
 *
 * <p>Every array or map item of the project's schemas takes at least one byte, so a count larger
 * than the bytes left is a lie; a schema with zero-byte items (arrays of null) would need a looser
 * bound.
 */
final class StrictBinaryDecoder extends Decoder {
  private final ByteBuffer in;

  StrictBinaryDecoder(byte[] bytes, int offset) {
    in = ByteBuffer.wrap(bytes, offset, bytes.length - offset).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** Throws if bytes remain after the record. */
  void requireEnd() throws IOException {
    if (in.hasRemaining()) {
      throw new IOException(in.remaining() + " bytes trail the record");
    }
  }

  @Override
  public void readNull() {}

  @Override
  public boolean readBoolean() throws IOException {
    int value = readByte();
    if (value > 1) {
      throw new IOException("invalid boolean byte " + value);
    }
    return value == 1;
  }

  @Override
  public int readInt() throws IOException {
    long value = readVarint(5);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      throw new IOException("int out of range: " + value);
    }
    return (int) value;
  }

  @Override
  public long readLong() throws IOException {
    return readVarint(10);
  }

  @Override
  public float readFloat() throws IOException {
    require(Float.BYTES);
    return in.getFloat();
  }

  @Override
  public double readDouble() throws IOException {
    require(Double.BYTES);
    return in.getDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    return new Utf8(readString());
  }

  @Override
  public String readString() throws IOException {
    ByteBuffer bytes = slice(readLength("string"));
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes)
          .toString();
    } catch (CharacterCodingException e) {
      throw new IOException("string is not valid UTF-8", e);
    }
  }

  @Override
  public void skipString() throws IOException {
    slice(readLength("string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    ByteBuffer source = slice(readLength("bytes"));
    ByteBuffer copy = ByteBuffer.allocate(source.remaining());
    copy.put(source).flip();
    return copy;
  }

  @Override
  public void skipBytes() throws IOException {
    slice(readLength("bytes"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    require(length);
    in.get(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    slice(length);
  }

  @Override
  public int readEnum() throws IOException {
    return readInt();
  }

  @Override
  public long readArrayStart() throws IOException {
    return readBlockCount();
  }

  @Override
  public long arrayNext() throws IOException {
    return readBlockCount();
  }

  @Override
  public long skipArray() throws IOException {
    return skipBlocks();
  }

  @Override
  public long readMapStart() throws IOException {
    return readBlockCount();
  }

  @Override
  public long mapNext() throws IOException {
    return readBlockCount();
  }

  @Override
  public long skipMap() throws IOException {
    return skipBlocks();
  }

  @Override
  public int readIndex() throws IOException {
    return readInt();
  }

  /** Items in the next block; a negative count is followed by the block's size in bytes. */
  private long readBlockCount() throws IOException {
    long count = readLong();
    if (count < 0) {
      if (count == Long.MIN_VALUE) {
        throw new IOException("invalid block count " + count);
      }
      count = -count;
      readLength("block");
    }
    return boundedCount(count);
  }

  /** Skips whole blocks that state their size; returns the count of a block that must be read. */
  private long skipBlocks() throws IOException {
    while (true) {
      long count = readLong();
      if (count >= 0) {
        return boundedCount(count);
      }
      slice(readLength("block"));
    }
  }

  private long boundedCount(long count) throws IOException {
    if (count > in.remaining()) {
      throw new IOException(
          "block declares " + count + " items but only " + in.remaining() + " bytes are left");
    }
    return count;
  }

  private int readLength(String what) throws IOException {
    long length = readLong();
    if (length < 0 || length > in.remaining()) {
      throw new IOException(
          what + " declares " + length + " bytes but " + in.remaining() + " are left");
    }
    return (int) length;
  }

  private ByteBuffer slice(int length) throws IOException {
    require(length);
    ByteBuffer slice = in.slice();
    slice.limit(length);
    in.position(in.position() + length);
    return slice;
  }

  /** A zig-zag varint of at most {@code maxBytes} bytes. */
  private long readVarint(int maxBytes) throws IOException {
    long raw = 0;
    for (int i = 0; i < maxBytes; i++) {
      int b = readByte();
      raw |= (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        return (raw >>> 1) ^ -(raw & 1);
      }
    }
    throw new IOException("varint longer than " + maxBytes + " bytes");
  }

  private int readByte() throws IOException {
    require(1);
    return in.get() & 0xff;
  }

  private void require(int length) throws IOException {
    if (length < 0 || length > in.remaining()) {
      throw new EOFException(
          "record ends early: needs " + length + " more bytes, " + in.remaining() + " left");
    }
  }
}
