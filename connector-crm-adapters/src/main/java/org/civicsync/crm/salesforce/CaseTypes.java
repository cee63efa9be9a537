package org.civicsync.crm.salesforce;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;

/**
 * The case types of the org: the active values of the Case's case type picklist ({@code Type}
 * unless configured), from {@code GET /sobjects/Case/describe}, whose {@code fields[]} carry
 * {@code name}, {@code type} and {@code picklistValues[]} of {@code active}, {@code value} (the
 * API name the adapter writes) and {@code label}. Record-type restrictions are not applied: the
 * list is every active value of the field.
 */
final class CaseTypes {
  private final String system;
  private final SalesforceSettings settings;
  private final RestApi api;

  CaseTypes(String system, SalesforceSettings settings, RestApi api) {
    this.system = system;
    this.settings = settings;
    this.api = api;
  }

  List<Service> services() {
    JsonNode describe = api.get(settings.data().addPathSegments("sobjects/Case/describe").build(),
        CrmOperation.DESCRIBE_SERVICES, b -> b).body();
    String fieldName = settings.caseTypeField();
    JsonNode field = null;
    for (JsonNode f : describe.path("fields")) {
      if (f.path("name").asText().equals(fieldName)) {
        field = f;
      }
    }
    if (field == null) {
      throw failure("Case has no field " + fieldName + " visible to the integration user");
    }
    String type = field.path("type").asText();
    if (!type.equals("picklist") && !type.equals("multipicklist")) {
      throw failure("Case." + fieldName + " is a " + type + " field, not a picklist: its values "
          + "cannot be listed as services");
    }
    Map<String, Service> byValue = new LinkedHashMap<>();
    for (JsonNode v : field.path("picklistValues")) {
      String value = v.path("value").asText("");
      if (!v.path("active").asBoolean(false) || value.isEmpty()) {
        continue;
      }
      String label = v.path("label").asText("");
      byValue.putIfAbsent(value, new Service(value, label.isEmpty() ? value : label,
          Optional.empty(), false, ServiceType.REALTIME, List.of(), List.of()));
    }
    return List.copyOf(new ArrayList<>(byValue.values()));
  }

  private CrmException failure(String detail) {
    return CrmException.of(CrmException.Kind.PERMANENT, system, CrmOperation.DESCRIBE_SERVICES)
        .detail(detail).build();
  }
}
