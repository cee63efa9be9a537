package org.civicsync.examples.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.time.OffsetDateTime;
import org.civicsync.core.model.Attributes;
import org.civicsync.core.model.Contact;
import org.civicsync.core.model.W3cDateTime;

/**
 * Writes the canonical model as JSON for people to read. Contact details are printed as
 * {@code "<redacted>"}: probe output ends up in tickets and chat, and must carry no personal data.
 */
final class ModelJson {
  private ModelJson() {}

  static ObjectMapper mapper() {
    SimpleModule model = new SimpleModule("civicsync-model");
    model.addSerializer(Attributes.class, new StdSerializer<>(Attributes.class) {
      @Override
      public void serialize(Attributes value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        provider.defaultSerializeValue(value.asMap(), gen);
      }
    });
    model.addSerializer(Contact.class, new StdSerializer<>(Contact.class) {
      @Override
      public void serialize(Contact c, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeStartObject();
        redacted(gen, "first_name", c.firstName().isPresent());
        redacted(gen, "last_name", c.lastName().isPresent());
        redacted(gen, "email", c.email().isPresent());
        redacted(gen, "phone", c.phone().isPresent());
        redacted(gen, "device_id", c.deviceId().isPresent());
        redacted(gen, "account_id", c.accountId().isPresent());
        gen.writeEndObject();
      }
    });
    model.addSerializer(OffsetDateTime.class, new StdSerializer<>(OffsetDateTime.class) {
      @Override
      public void serialize(OffsetDateTime value, JsonGenerator gen, SerializerProvider provider)
          throws IOException {
        gen.writeString(W3cDateTime.format(value));
      }
    });
    return JsonMapper.builder()
        .addModule(new Jdk8Module())
        .addModule(new JavaTimeModule())
        .addModule(model)
        .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
        .serializationInclusion(JsonInclude.Include.NON_ABSENT)
        .enable(SerializationFeature.INDENT_OUTPUT)
        .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
        .build();
  }

  private static void redacted(JsonGenerator gen, String field, boolean present) throws IOException {
    if (present) {
      gen.writeStringField(field, "<redacted>");
    }
  }
}
