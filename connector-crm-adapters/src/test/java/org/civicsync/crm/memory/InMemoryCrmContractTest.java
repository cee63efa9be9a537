package org.civicsync.crm.memory;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.civicsync.core.model.Service;
import org.civicsync.core.model.ServiceType;
import org.civicsync.core.crm.memory.InMemoryCrm;
import org.civicsync.core.spi.CrmAdapter;
import org.civicsync.core.spi.CrmException;
import org.civicsync.core.spi.CrmNote;
import org.civicsync.core.spi.CrmOperation;
import org.civicsync.crm.testkit.CrmAdapterContract;
import org.civicsync.crm.testkit.Failure;

/**
 * The reference CRM against the contract kit: proves the kit asks for what the SPI means, since
 * the in-memory CRM is the SPI's working example. Failures come from its fault plan; it has no
 * tokens, so the refresh check is skipped.
 */
class InMemoryCrmContractTest extends CrmAdapterContract {
  private final Clock clock = Clock.fixed(Instant.parse("2024-05-01T09:00:00Z"), ZoneOffset.UTC);
  private final InMemoryCrm crm = InMemoryCrm.builder().name("memory-contract").clock(clock)
      .services(List.of(new Service("Pothole", "Pothole", Optional.empty(), false,
          ServiceType.REALTIME, List.of(), List.of("Roads"))))
      .build();

  @Override
  protected CrmAdapter adapter() {
    return crm;
  }

  @Override
  protected CrmAdapter adapterWithWrongCredentials() {
    InMemoryCrm refusing = InMemoryCrm.builder().name("memory-refusing").clock(clock).build();
    refusing.faults().failNext(CrmOperation.FIND_CASE, 1, CrmException.Kind.AUTHENTICATION);
    return refusing;
  }

  @Override
  protected Optional<String> listedService() {
    return Optional.of(caseType());
  }

  @Override
  protected String caseType() {
    return "Pothole";
  }

  @Override
  protected int casesOnSystem(String externalReference) {
    return crm.createCount(externalReference);
  }

  @Override
  protected List<String> raiseCasesAtOneInstant(int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(crm.officer().raiseCase(caseType()));
    }
    return ids;
  }

  @Override
  protected List<String> notesOnSystem(String caseId) {
    return crm.notes(caseId).stream().map(CrmNote::text).toList();
  }

  @Override
  protected boolean closedOnSystem(String caseId) {
    return crm.find(caseId).orElseThrow().closed();
  }

  @Override
  protected boolean failNext(Failure failure, CrmOperation during) {
    switch (failure) {
      case EXPIRED_TOKEN -> {
        return false;
      }
      case TOO_MANY_REQUESTS -> crm.faults().failNextTransiently(during, 1, Failure.RETRY_AFTER);
      case SERVER_ERROR -> crm.faults().failNext(during, 1, CrmException.Kind.TRANSIENT);
      case TIMEOUT -> crm.faults().applyThenLoseAnswer(during, 1);
    }
    return true;
  }
}
