package org.civicsync.examples.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.civicsync.core.model.Redaction;
import org.civicsync.core.model.W3cDateTime;
import org.civicsync.core.resilience.RemoteSystemUnavailableException;
import org.civicsync.core.resilience.ResiliencePolicy;
import org.civicsync.open311.Format;
import org.civicsync.open311.Open311ErrorResponseException;
import org.civicsync.open311.Open311Exception;
import org.civicsync.open311.Open311FormatException;
import org.civicsync.open311.Open311TransportException;
import org.civicsync.open311.client.Open311Client;
import org.civicsync.open311.client.RequestQuery;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code civicsync probe}: asks an Open311 endpoint one question and prints what CivicSync parsed,
 * as JSON of the canonical model, or the endpoint's error plainly. Exit codes: 0 answered,
 * 2 the endpoint answered an error, 3 the answer was unreadable, 4 the endpoint was unreachable.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = "Call an Open311 endpoint and print what was parsed.",
    subcommands = {ProbeCommand.Services.class, ProbeCommand.ServiceDefinitionCommand.class,
        ProbeCommand.Requests.class, ProbeCommand.Updates.class, ProbeCommand.DiscoveryCommand.class})
public final class ProbeCommand implements Runnable {
  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The options every probe takes: where the endpoint is and how to talk to it. */
  static final class Endpoint {
    @Option(names = "--endpoint", required = true,
        description = "Endpoint base URL, e.g. https://council.example/open311/v2/")
    String url;

    @Option(names = "--jurisdiction", description = "jurisdiction_id, when the endpoint needs one")
    String jurisdiction;

    @Option(names = "--api-key-env", paramLabel = "VAR",
        description = "Read the api_key from this environment variable (keeps it out of shell history)")
    String apiKeyEnv;

    @Option(names = "--format", defaultValue = "xml", description = "xml or json (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--timeout", defaultValue = "30", description = "Read timeout in seconds (default: ${DEFAULT-VALUE})")
    int timeoutSeconds;

    @Option(names = "--attempts", defaultValue = "3", description = "Attempts per GET (default: ${DEFAULT-VALUE})")
    int attempts;

    Open311Client client() {
      String apiKey = apiKeyEnv == null ? null : System.getenv(apiKeyEnv);
      return Open311Client.builder(url)
          .jurisdictionId(jurisdiction)
          .apiKey(apiKey)
          .format(Format.parse(format))
          .connectTimeout(Duration.ofSeconds(Math.max(1, Math.min(timeoutSeconds, 10))))
          .readTimeout(Duration.ofSeconds(Math.max(1, timeoutSeconds)))
          .resilience(ResiliencePolicy.builder().maxAttempts(attempts).build())
          .build();
    }
  }

  /** Parses a W3C datetime, with the parser's own message on failure. */
  static final class DateTimeConverter implements ITypeConverter<OffsetDateTime> {
    @Override
    public OffsetDateTime convert(String value) {
      return W3cDateTime.parse(value);
    }
  }

  abstract static class Probe implements Callable<Integer> {
    @Mixin
    Endpoint endpoint = new Endpoint();

    @Spec
    CommandSpec spec;

    abstract Object ask(Open311Client client);

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        Object answer = ask(endpoint.client());
        out.println(ModelJson.mapper().writeValueAsString(answer));
        out.flush();
        return 0;
      } catch (Open311ErrorResponseException e) {
        err.println("The endpoint answered an error: HTTP " + e.httpStatus());
        e.errors().forEach(x -> err.println("  " + (x.code().isEmpty() ? "-" : x.code()) + ": "
            + Redaction.redact(x.description())));
        return 2;
      } catch (Open311FormatException e) {
        err.println("The answer could not be read: " + Redaction.describe(e, 1_000));
        return 3;
      } catch (Open311TransportException | RemoteSystemUnavailableException e) {
        err.println("The endpoint could not be reached: " + Redaction.describe(e, 1_000));
        return 4;
      } catch (Open311Exception e) {
        err.println("Failed: " + Redaction.describe(e, 1_000));
        return 2;
      } catch (JsonProcessingException e) {
        err.println("Could not print the answer: " + e.getOriginalMessage());
        return 1;
      }
    }
  }

  @Command(name = "discovery", description = "GET discovery")
  static final class DiscoveryCommand extends Probe {
    @Override
    Object ask(Open311Client client) {
      return client.discovery();
    }
  }

  @Command(name = "services", description = "GET services")
  static final class Services extends Probe {
    @Override
    Object ask(Open311Client client) {
      return client.services();
    }
  }

  @Command(name = "service", description = "GET services/{code}")
  static final class ServiceDefinitionCommand extends Probe {
    @Parameters(index = "0", paramLabel = "CODE", description = "service_code")
    String code;

    @Override
    Object ask(Open311Client client) {
      return client.serviceDefinition(code);
    }
  }

  @Command(name = "requests", description = "GET requests (by ids, or a window split and narrowed as needed)")
  static final class Requests extends Probe {
    @Option(names = "--ids", split = ",", description = "service_request_id values, comma separated")
    List<String> ids = new ArrayList<>();

    @Option(names = "--start", converter = DateTimeConverter.class, description = "start_date (W3C, with zone)")
    OffsetDateTime start;

    @Option(names = "--end", converter = DateTimeConverter.class, description = "end_date (W3C, with zone)")
    OffsetDateTime end;

    @Option(names = "--service-code", split = ",", description = "service_code values, comma separated")
    List<String> serviceCodes = new ArrayList<>();

    @Option(names = "--status", description = "open or closed")
    String status;

    @Override
    Object ask(Open311Client client) {
      return client.requests(RequestQuery.builder().ids(ids).serviceCodes(serviceCodes)
          .status(status).start(start).end(end).build());
    }
  }

  @Command(name = "updates", description = "GET servicerequestupdates for a window")
  static final class Updates extends Probe {
    @Option(names = "--start", required = true, converter = DateTimeConverter.class,
        description = "start_date (W3C, with zone)")
    OffsetDateTime start;

    @Option(names = "--end", required = true, converter = DateTimeConverter.class,
        description = "end_date (W3C, with zone)")
    OffsetDateTime end;

    @Override
    Object ask(Open311Client client) {
      return client.updates(start, end);
    }
  }
}
