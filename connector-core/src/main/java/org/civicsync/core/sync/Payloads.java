package org.civicsync.core.sync;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.civicsync.core.model.Attributes;

/**
 * Serialises the engine's work items and journal entries for the store: JSON of the model records.
 * Payloads hold personal data (a report's contact) because the CRM case needs it; they live in the
 * store, never in logs.
 */
final class Payloads {
  private static final ObjectMapper JSON = mapper();

  private Payloads() {}

  static String write(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise " + value.getClass().getSimpleName(), e);
    }
  }

  static <T> T read(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored " + type.getSimpleName() + " payload is unreadable: "
          + e.getOriginalMessage(), e);
    }
  }

  private static ObjectMapper mapper() {
    SimpleModule model = new SimpleModule("civicsync-payloads");
    model.addSerializer(Attributes.class, new StdSerializer<>(Attributes.class) {
      @Override
      public void serialize(Attributes value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        provider.defaultSerializeValue(value.asMap(), gen);
      }
    });
    model.addDeserializer(Attributes.class, new StdDeserializer<>(Attributes.class) {
      @Override
      public Attributes deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        Map<String, List<String>> map = p.readValueAs(new TypeReference<Map<String, List<String>>>() {});
        return Attributes.of(map);
      }
    });
    return JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .addModule(model)
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .build();
  }
}
