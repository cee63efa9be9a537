package org.civicsync.examples.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmOperation;

/**
 * The in-memory CRM: no wire at all, so its figures are the floor the other adapters are read
 * against. Its calls are SPI calls, as the CRM counts them.
 */
final class MemoryBench implements BenchTarget {
  private InMemoryCrm crm;

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String callUnit() {
    return "SPI calls";
  }

  @Override
  public List<String> seed(int cases) {
    crm = InMemoryCrm.builder().name("bench-memory").build();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < cases; i++) {
      ids.add(crm.officer().raiseCase("POTHOLE"));
    }
    return ids;
  }

  @Override
  public CrmAdapter adapter() {
    return Objects.requireNonNull(crm, "seed first");
  }

  @Override
  public long calls() {
    long calls = 0;
    for (CrmOperation operation : CrmOperation.values()) {
      calls += crm.calls(operation);
    }
    return calls;
  }

  @Override
  public long updatesLanded() {
    return crm.cases().stream().flatMap(c -> crm.notes(c.caseId()).stream())
        .filter(n -> n.updateId().filter(id -> id.startsWith("bench-")).isPresent()).count();
  }

  @Override
  public void close() {
    if (crm != null) {
      crm.close();
    }
  }
}
