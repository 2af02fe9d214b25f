package org.interesttracker.serde;

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
import org.apache.avro.io.DatumReader;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
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

  private final Class<T> type;
  private final List<String> writerSchemas;
  private transient BinaryMessageEncoder<T> encoder;
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
    try {
      return encoder().encode(record).array();
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

  private BinaryMessageEncoder<T> encoder() {
    if (encoder == null) {
      encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), schema());
    }
    return encoder;
  }
}
