package org.civicsync.core.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.junit.jupiter.api.Test;

class CrmAdapterRegistryTest {

  /** A read-only CRM: it can only look cases up. */
  record LookupOnly(String name) implements CrmAdapter, CaseLookup {
    @Override
    public Optional<CrmCase> findByExternalReference(String externalReference) {
      return Optional.empty();
    }
  }

  @Test
  void serviceLoaderFindsTheMemoryProvider() {
    CrmAdapterRegistry registry = CrmAdapterRegistry.installed();

    CrmAdapter adapter = registry.create("memory", "demo-crm",
        Map.of("initial_status_code", "OPEN", "closed_status_codes", List.of("DONE")));

    assertThat(registry.types()).contains("memory");
    assertThat(adapter).isInstanceOf(InMemoryCrm.class);
    assertThat(adapter.name()).isEqualTo("demo-crm");
    InMemoryCrm crm = (InMemoryCrm) adapter;
    String caseId = crm.officer().raiseCase("Pothole");
    assertThat(crm.find(caseId).orElseThrow().statusCode()).isEqualTo("OPEN");
    crm.officer().changeStatus(caseId, "DONE");
    assertThat(crm.find(caseId).orElseThrow().closed()).isTrue();
  }

  @Test
  void aBadSettingOfTheMemoryProviderIsNamed() {
    assertThatThrownBy(() -> CrmAdapterRegistry.installed()
        .create("memory", "demo-crm", Map.of("closed_codes", List.of("DONE"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("closed_codes").hasMessageContaining("demo-crm");
  }

  @Test
  void anUnknownTypeIsAnErrorListingTheKnownTypes() {
    assertThatThrownBy(() -> CrmAdapterRegistry.installed().create("siebel", "x", Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'siebel'").hasMessageContaining("memory");
  }

  @Test
  void anExplicitProviderComesBeforeInstalledOnesAndMaySayNotMine() {
    CrmAdapterProvider notMine = new CrmAdapterProvider() {
      @Override
      public String type() {
        return "memory";
      }

      @Override
      public Optional<CrmAdapter> create(String name, Map<String, ?> settings) {
        return settings.containsKey("lookup_only")
            ? Optional.of(new LookupOnly(name)) : Optional.empty();
      }
    };
    CrmAdapterRegistry registry = CrmAdapterRegistry.builder().add(notMine).addInstalled().build();

    assertThat(registry.create("memory", "a", Map.of("lookup_only", true)))
        .isInstanceOf(LookupOnly.class);
    assertThat(registry.create("memory", "b", Map.of())).isInstanceOf(InMemoryCrm.class);
  }

  @Test
  void aFactoryRegisteredByTypeIsUsedWithoutServiceLoader() {
    CrmAdapterRegistry registry =
        CrmAdapterRegistry.builder().add("readonly", (name, s) -> new LookupOnly(name)).build();

    assertThat(registry.types()).containsExactly("readonly");
    assertThat(registry.create("readonly", "r", Map.of()).name()).isEqualTo("r");
  }

  @Test
  void capabilitiesAreWhatTheAdapterImplements() {
    LookupOnly readOnly = new LookupOnly("r");
    CrmAdapter memory = InMemoryCrm.builder().build();

    assertThat(readOnly.capability(CaseLookup.class)).containsSame(readOnly);
    assertThat(readOnly.capability(CaseCreation.class)).isEmpty();
    assertThat(readOnly.capability(ChangeFeed.class)).isEmpty();
    for (Class<? extends CrmCapability> c : List.of(CaseCreation.class, CaseLookup.class,
        ChangeFeed.class, CaseUpdates.class, ServiceCatalogue.class)) {
      assertThat(memory.capability(c)).as(c.getSimpleName()).isPresent();
    }
  }
}
