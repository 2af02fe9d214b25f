package org.interesttracker.serde;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.MissingSchemaException;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;

/**
 * Kafka wire format of every record: Avro single-object encoding (two magic bytes, the 8-byte
 * CRC-64-AVRO fingerprint of the writer schema, then the binary body). Any Avro library can resolve
 * it with a schema store, and a reader decodes records written with any older schema version it was
 * given, so producers and the job can be upgraded one at a time.
 */
public final class AvroCodec<T extends SpecificRecord> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Class<T> type;
  private final List<String> olderWriterSchemas;
  private transient BinaryMessageEncoder<T> encoder;
  private transient BinaryMessageDecoder<T> decoder;

  private AvroCodec(Class<T> type, List<String> olderWriterSchemas) {
    this.type = type;
    this.olderWriterSchemas = olderWriterSchemas;
  }

  /** A codec for the current schema of {@code type}. */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type) {
    return new AvroCodec<>(type, List.of());
  }

  /** A codec that also decodes bytes written with the given older versions of the schema. */
  public static <T extends SpecificRecord> AvroCodec<T> of(Class<T> type, Schema... olderSchemas) {
    return new AvroCodec<>(type, Arrays.stream(olderSchemas).map(Schema::toString).toList());
  }

  public byte[] encode(T record) {
    try {
      return encoder().encode(record).array();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot encode " + type.getSimpleName(), e);
    }
  }

  /**
   * Decodes one record.
   *
   * @throws RecordDecodingException with a message naming what is wrong: empty input, no Avro
   *     single-object header, a writer schema this reader does not know, or a corrupt body
   */
  public T decode(byte[] bytes) throws RecordDecodingException {
    if (bytes == null || bytes.length == 0) {
      throw new RecordDecodingException("empty record value");
    }
    try {
      return decoder().decode(bytes);
    } catch (MissingSchemaException e) {
      throw new RecordDecodingException(
          "unknown writer schema for "
              + type.getSimpleName()
              + " ("
              + e.getMessage()
              + "); this reader knows fingerprints "
              + knownFingerprints(),
          e);
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      throw new RecordDecodingException(
          "not a valid Avro single-object encoded " + type.getSimpleName() + ": " + e.getMessage(),
          e);
    }
  }

  public Schema schema() {
    return SpecificData.get().getSchema(type);
  }

  private List<Long> knownFingerprints() {
    List<Long> fingerprints = new ArrayList<>();
    fingerprints.add(SchemaNormalization.parsingFingerprint64(schema()));
    for (String older : olderWriterSchemas) {
      fingerprints.add(SchemaNormalization.parsingFingerprint64(new Schema.Parser().parse(older)));
    }
    return fingerprints;
  }

  private BinaryMessageEncoder<T> encoder() {
    if (encoder == null) {
      encoder = new BinaryMessageEncoder<>(SpecificData.getForClass(type), schema());
    }
    return encoder;
  }

  private BinaryMessageDecoder<T> decoder() {
    if (decoder == null) {
      decoder = new BinaryMessageDecoder<>(SpecificData.getForClass(type), schema());
      for (String older : olderWriterSchemas) {
        decoder.addSchema(new Schema.Parser().parse(older));
      }
    }
    return decoder;
  }
}
