package org.civicsync.examples.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves {@code ${env:NAME}} and {@code ${file:/path}} references. The environment is injected,
 * so tests need not change the process's. A file's content is trimmed of its final newline, as
 * written by {@code echo} or a secrets mount.
 */
public final class SecretResolver {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{(env|file):([^}]+)}");

  private final Function<String, String> environment;

  private SecretResolver(Function<String, String> environment) {
    this.environment = environment;
  }

  /** Resolves from the process environment. */
  public static SecretResolver system() {
    return new SecretResolver(System::getenv);
  }

  /** Resolves from {@code environment}, which answers null for an unset variable. */
  public static SecretResolver of(Function<String, String> environment) {
    return new SecretResolver(Objects.requireNonNull(environment, "environment == null"));
  }

  /** True when the whole of {@code text} is one reference. */
  static boolean isReference(String text) {
    return REFERENCE.matcher(text.strip()).matches();
  }

  /**
   * The secret {@code text} refers to; empty, with the reason in {@code problems} at
   * {@code path}, when it is not a reference or cannot be read.
   */
  Optional<Secret> resolve(String text, String path, ConfigProblems problems) {
    Matcher m = REFERENCE.matcher(text.strip());
    if (!m.matches()) {
      problems.add(path, "secrets are given by reference, not inline: write ${env:NAME} and set "
          + "that environment variable, or ${file:/path/to/file}");
      return Optional.empty();
    }
    String reference = m.group(0);
    String target = m.group(2).strip();
    if (m.group(1).equals("env")) {
      String value = environment.apply(target);
      if (value == null || value.isEmpty()) {
        problems.add(path, "environment variable " + target + " is not set: export it before "
            + "starting civicsync");
        return Optional.empty();
      }
      return Optional.of(new Secret(reference, value));
    }
    try {
      String value = Files.readString(Path.of(target), StandardCharsets.UTF_8);
      value = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
      value = value.endsWith("\r") ? value.substring(0, value.length() - 1) : value;
      if (value.isEmpty()) {
        problems.add(path, "secret file " + target + " is empty");
        return Optional.empty();
      }
      return Optional.of(new Secret(reference, value));
    } catch (IOException | RuntimeException e) {
      problems.add(path, "cannot read secret file " + target + " (" + e.getClass().getSimpleName()
          + "): check that it exists and this user may read it");
      return Optional.empty();
    }
  }
}
