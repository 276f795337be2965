package io.sketchgate.cli;

import io.sketchgate.config.Durations;
import io.sketchgate.config.SignedHeaderConfig;
import io.sketchgate.config.SketchgateConfig;
import io.sketchgate.identity.HeaderSignature;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sketchgate sign-header}: the four {@code X-Sketchgate-*} headers for a user, signed with
 * {@code identity.signed_header.secret}, one per line as {@code Name: value}. For tests, and for operators wiring
 * a login proxy who want a reference to compare with.
 */
@Command(
        name = "sign-header",
        mixinStandardHelpOptions = true,
        description = {
            "Print signed X-Sketchgate-* identity headers for a user, one per line as 'Name: value'.",
            "Uses identity.signed_header.secret of the configuration file."
        })
final class SignHeaderCommand implements Callable<Integer> {
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}");

    @Mixin
    private ConfigFileOption config;

    @Option(names = "--user", required = true, paramLabel = "USER", description = "User name.")
    String user;

    @Option(names = "--roles", defaultValue = "", paramLabel = "R1,R2", description = "Comma-separated roles.")
    String roles;

    @Option(
            names = "--ttl",
            defaultValue = "5m",
            paramLabel = "DURATION",
            description =
                    "How long the headers are valid (default: ${DEFAULT-VALUE}); at most identity.signed_header.max_age.")
    String ttl;

    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        return config.load().map(this::sign).orElse(Main.EXIT_FAILED);
    }

    private int sign(SketchgateConfig loaded) {
        Optional<SignedHeaderConfig> signed = loaded.identity().signedHeader();
        if (signed.isEmpty()) {
            return fail(config.file + " has no identity.signed_header section with a secret to sign with.");
        }
        Duration validFor;
        try {
            validFor = Durations.parse(ttl);
        } catch (IllegalArgumentException e) {
            return fail("--ttl " + e.getMessage() + ", was \"" + ttl + "\"");
        }
        if (validFor.isZero() || validFor.compareTo(signed.get().maxAge()) > 0) {
            return fail("--ttl must be more than 0s and at most identity.signed_header.max_age ("
                    + Durations.format(signed.get().maxAge()) + "), was \"" + ttl + "\"");
        }
        if (user.isEmpty() || user.chars().anyMatch(Character::isISOControl)) {
            return fail("--user must be a non-empty name without control characters");
        }
        List<String> roleList = Arrays.stream(roles.split(","))
                .map(String::strip)
                .filter(r -> !r.isEmpty())
                .toList();
        for (String role : roleList) {
            if (!ROLE.matcher(role).matches()) {
                return fail("--roles: \"" + role + "\" is not a role name of letters, digits, _ . and -");
            }
        }
        HeaderSignature.headers(
                        signed.get().secret(), user, roleList, clock.instant().plus(validFor))
                .forEach((name, value) -> config.out().println(name + ": " + value));
        return Main.EXIT_OK;
    }

    private int fail(String message) {
        config.err().println(message);
        return Main.EXIT_FAILED;
    }
}
