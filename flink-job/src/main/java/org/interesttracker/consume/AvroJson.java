package org.interesttracker.consume;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * An Avro record as plain JSON: fields named and ordered as in the schema, enums as their symbol,
 * optional fields as their value or null (not Avro's {@code {"long": 5}} union wrapping, which
 * makes every consumer unwrap it), and bytes as {@code {"length": N, "preview": "..."}} ({@link
 * BytePreview}), since raw bytes have no faithful JSON form.
 */
public final class AvroJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final int previewBytes;

  /** Shows at most {@code previewBytes} bytes of each bytes value. */
  public AvroJson(int previewBytes) {
    this.previewBytes = previewBytes;
  }

  public ObjectNode of(IndexedRecord record) {
    ObjectNode object = NODES.objectNode();
    for (Schema.Field field : record.getSchema().getFields()) {
      object.set(field.name(), value(field.schema(), record.get(field.pos())));
    }
    return object;
  }

  private JsonNode value(Schema schema, Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    return switch (schema.getType()) {
      case RECORD -> of((IndexedRecord) value);
      case UNION ->
          value(schema.getTypes().get(GenericData.get().resolveUnion(schema, value)), value);
      case ARRAY -> array(schema.getElementType(), (Collection<?>) value);
      case MAP -> map(schema.getValueType(), (Map<?, ?>) value);
      case BYTES -> bytes((ByteBuffer) value);
      case FIXED -> bytes(ByteBuffer.wrap(((GenericFixed) value).bytes()));
      case INT -> NODES.numberNode((Integer) value);
      case LONG -> NODES.numberNode((Long) value);
      case FLOAT -> NODES.numberNode((Float) value);
      case DOUBLE -> NODES.numberNode((Double) value);
      case BOOLEAN -> NODES.booleanNode((Boolean) value);
      case STRING, ENUM -> NODES.textNode(value.toString());
      case NULL -> NODES.nullNode();
    };
  }

  private ArrayNode array(Schema elementType, Collection<?> values) {
    ArrayNode array = NODES.arrayNode();
    values.forEach(element -> array.add(value(elementType, element)));
    return array;
  }

  private ObjectNode map(Schema valueType, Map<?, ?> values) {
    ObjectNode object = NODES.objectNode();
    values.forEach((key, element) -> object.set(key.toString(), value(valueType, element)));
    return object;
  }

  private ObjectNode bytes(ByteBuffer bytes) {
    ObjectNode object = NODES.objectNode();
    object.put("length", bytes.remaining());
    object.put("preview", BytePreview.of(bytes, previewBytes));
    return object;
  }
}
