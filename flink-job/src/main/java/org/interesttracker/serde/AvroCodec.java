package org.interesttracker.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Kafka wire format of every record: Avro single-object encoding (two magic bytes, the 8-byte
 * CRC-64-AVRO fingerprint of the writer schema, then the binary body). Any Avro library can resolve
 * it with a schema store.
 *
 * <p>A codec reads bytes written with any schema version it knows: the current one, every released
 * version of the record ({@link ReleasedSchemas}) and any writer schema it is given, so producers
 * can move to a new version before the job does. A newer writer's extra fields are skipped and its
 * new enum symbols read as the enum's default. Decoding is strict ({@link StrictBinaryDecoder}):
 * lengths are checked before anything is allocated and trailing bytes are an error.
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {
  private static final long serialVersionUID = 2L;
  private static final int HEADER_BYTES = 10;

  /**
   * Where this thread encodes: Avro's own single-object encoder writes the body through an
   * unbuffered encoder, one stream call per field, and took 40% longer for a recommendation.
   */
  private static final ThreadLocal<EncodingBuffer> ENCODING =
      ThreadLocal.withInitial(EncodingBuffer::new);

  private final Class<T> type;
  private final List<String> writerSchemas;
  private transient Writing<T> writing;
  private transient Map<Long, DatumReader<T>> readersByFingerprint;

  private AvroCodec(Class<T> type, List<String> writerSchemas) {
    this.type = type;
    this.writerSchemas = writerSchemas;
  }

  /** A codec for the current schema of {@code type} and its released versions. */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    return of(type, List.of());
  }

  /**
   * A codec that also reads the given writer schemas of {@code type}; schemas of other records are
   * ignored, so one directory can serve every topic.
   *
   * @throws IllegalArgumentException naming the incompatibility if one of them cannot be read as
   *     the current schema
   */
  public static <T extends SpecificRecord> AvroCodec<T> of(
      Class<T> type, Collection<Schema> extraWriterSchemas) {
    Schema reader = SpecificData.get().getSchema(type);
    List<String> writers = new ArrayList<>();
    for (Schema writer : ReleasedSchemas.of(reader)) {
      writers.add(writer.toString());
    }
    for (Schema writer : extraWriterSchemas) {
      if (!writer.getFullName().equals(reader.getFullName())) {
        continue;
      }
      var compatibility = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
      if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
        throw new IllegalArgumentException(
            "writer schema "
                + SchemaNormalization.parsingFingerprint64(writer)
                + " of "
                + reader.getFullName()
                + " cannot be read as the current version: "
                + compatibility.getResult().getIncompatibilities());
      }
      writers.add(writer.toString());
    }
    return new AvroCodec<>(type, writers);
  }

  public byte[] encode(T record) {
    if (writing == null) {
      // Final fields: a thread that sees the object sees its header and writer too.
      writing = Writing.of(schema(), SpecificData.getForClass(type));
    }
    EncodingBuffer buffer = ENCODING.get();
    try {
      // Reconfiguring flushes what a record that failed left in the encoder: reset drops it.
      buffer.encoder = EncoderFactory.get().binaryEncoder(buffer.bytes, buffer.encoder);
      buffer.bytes.reset();
      buffer.bytes.write(writing.header());
      writing.writer().write(record, buffer.encoder);
      buffer.encoder.flush();
      return buffer.bytes.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode " + type.getSimpleName(), e);
    }
  }

  /**
   * Decodes one record, whatever the bytes hold.
   *
   * @throws RecordDecodingException with a message naming what is wrong: empty input, no Avro
   *     single-object header, a writer schema this reader does not know, a corrupt body, or bytes
   *     after the record
   */
  public T decode(byte[] bytes) throws RecordDecodingException {
    if (bytes == null || bytes.length == 0) {
      throw new RecordDecodingException("empty record value");
    }
    if (bytes.length < HEADER_BYTES || bytes[0] != (byte) 0xC3 || bytes[1] != (byte) 0x01) {
      throw invalid("no single-object header (C3 01 and an 8-byte schema fingerprint)", null);
    }
    long fingerprint = ByteBuffer.wrap(bytes, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    DatumReader<T> reader = readers().get(fingerprint);
    if (reader == null) {
      throw new RecordDecodingException(
          "unknown writer schema for "
              + type.getSimpleName()
              + " (fingerprint "
              + fingerprint
              + "); this reader knows fingerprints "
              + readers().keySet()
              + ", and more can be given as writer schemas");
    }
    StrictBinaryDecoder body = new StrictBinaryDecoder(bytes, HEADER_BYTES);
    try {
      T record = reader.read(null, body);
      body.requireEnd();
      return record;
    } catch (IOException | RuntimeException e) {
      throw invalid(e.getMessage(), e);
    }
  }

  public Schema schema() {
    return SpecificData.get().getSchema(type);
  }

  private RecordDecodingException invalid(String detail, Exception cause) {
    return new RecordDecodingException(
        "not a valid Avro single-object encoded " + type.getSimpleName() + ": " + detail, cause);
  }

  private Map<Long, DatumReader<T>> readers() {
    if (readersByFingerprint == null) {
      Schema current = schema();
      SpecificData data = SpecificData.getForClass(type);
      readersByFingerprint = new LinkedHashMap<>();
      readersByFingerprint.put(
          SchemaNormalization.parsingFingerprint64(current),
          new SpecificDatumReader<>(current, current, data));
      for (String json : writerSchemas) {
        Schema writer = new Schema.Parser().parse(json);
        readersByFingerprint.putIfAbsent(
            SchemaNormalization.parsingFingerprint64(writer),
            new SpecificDatumReader<>(writer, current, data));
      }
    }
    return readersByFingerprint;
  }

  /** The single-object header of a schema (C3 01 and its fingerprint) and a writer of its body. */
  private record Writing<T>(byte[] header, SpecificDatumWriter<T> writer) {
    static <T> Writing<T> of(Schema schema, SpecificData data) {
      byte[] header =
          ByteBuffer.allocate(HEADER_BYTES)
              .order(ByteOrder.LITTLE_ENDIAN)
              .put((byte) 0xC3)
              .put((byte) 0x01)
              .putLong(SchemaNormalization.parsingFingerprint64(schema))
              .array();
      return new Writing<>(header, new SpecificDatumWriter<>(schema, data));
    }
  }

  /** A thread's output buffer and encoder, reused from one record to the next. */
  private static final class EncodingBuffer {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    BinaryEncoder encoder;
  }
}
