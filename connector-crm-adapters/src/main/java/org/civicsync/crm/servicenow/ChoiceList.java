package org.civicsync.crm.servicenow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import okhttp3.HttpUrl;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmOperation;

/**
 * The case types of the configured table: the active choices of its category field, read from
 * the Choice table ({@code sys_choice}: {@code name} the table, {@code element} the field,
 * {@code language}, {@code value}, {@code label}, {@code sequence}, {@code inactive}). The stored
 * {@code value} is the case type the adapter writes; the {@code label} is the service's name.
 * The integration user needs read access to {@code sys_choice}.
 */
final class ChoiceList {
  /** More choices than this is not a category list; and a cut list would delete categories. */
  static final int MAX_CHOICES = 2000;
  static final String LANGUAGE = "en";

  private final String system;
  private final ServiceNowSettings settings;
  private final TableApi api;

  ChoiceList(String system, ServiceNowSettings settings, TableApi api) {
    this.system = system;
    this.settings = settings;
    this.api = api;
  }

  List<Service> services() {
    HttpUrl url = settings.tableUrl("sys_choice").newBuilder()
        .addQueryParameter("sysparm_query", "name=" + ServiceNowCrm.literal(settings.table())
            + "^element=" + ServiceNowCrm.literal(settings.categoryField())
            + "^inactive=false^language=" + LANGUAGE + "^ORDERBYsequence^ORDERBYvalue")
        .addQueryParameter("sysparm_fields", "value,label,sequence")
        .addQueryParameter("sysparm_limit", Integer.toString(MAX_CHOICES + 1))
        .addQueryParameter("sysparm_no_count", "true")
        .build();
    JsonNode result = api.get(url, CrmOperation.DESCRIBE_SERVICES, b -> b);
    if (result.size() > MAX_CHOICES) {
      throw CrmException.of(CrmException.Kind.PERMANENT, system, CrmOperation.DESCRIBE_SERVICES)
          .detail("sys_choice holds more than " + MAX_CHOICES + " choices for "
              + settings.table() + "." + settings.categoryField() + ": not a category list")
          .build();
    }
    // A value may be listed twice (a choice per dependent value); the first one wins.
    Map<String, Service> byValue = new LinkedHashMap<>();
    for (JsonNode choice : result) {
      Optional<String> value = CaseRecord.text(choice, "value");
      if (value.isEmpty()) {
        continue;
      }
      String label = CaseRecord.text(choice, "label").orElse(value.get());
      byValue.putIfAbsent(value.get(), new Service(value.get(), label, Optional.empty(), false,
          ServiceType.REALTIME, List.of(), List.of()));
    }
    return List.copyOf(new ArrayList<>(byValue.values()));
  }
}
