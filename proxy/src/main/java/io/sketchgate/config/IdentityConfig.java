package io.sketchgate.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code identity}: the ordered sources that say who sent a request, and what happens when none does.
 *
 * <p>Without the section identity is off ({@link #OFF}): every request is the built-in anonymous identity with
 * role {@value #OFF_ROLE}, so a plain passthrough deployment keeps working and needs no credentials.
 *
 * @param enabled        false only for {@link #OFF}
 * @param sources        tried in this order; the first that identifies the request wins
 * @param anonymousRole  the role of a request that brings no credentials; without it such a request gets 401
 * @param signedHeader   present when {@code identity.signed_header} is configured (required to list the source)
 * @param staticCacheTtl how long a successful bcrypt check of the {@code static} source is remembered
 * @param decisionHeader who gets {@code X-Sketchgate-Decision} on responses
 * @param continuationSecret the HMAC key that binds the continuation ids Sketchgate hands out to their owner;
 *                           instances that serve the same clients share it
 */
public record IdentityConfig(
        boolean enabled,
        List<IdentitySource> sources,
        Optional<String> anonymousRole,
        EsIdentityConfig elasticsearch,
        Optional<SignedHeaderConfig> signedHeader,
        Duration staticCacheTtl,
        KibanaInternalConfig kibanaInternal,
        DecisionHeaderAudience decisionHeader,
        Optional<Secret> continuationSecret) {
    /** The role of every request while identity is off. */
    public static final String OFF_ROLE = "default";

    static final Duration DEFAULT_STATIC_CACHE_TTL = Duration.ofMinutes(1);

    public static final IdentityConfig OFF = new IdentityConfig(
            false,
            List.of(),
            Optional.of(OFF_ROLE),
            EsIdentityConfig.DEFAULT,
            Optional.empty(),
            DEFAULT_STATIC_CACHE_TTL,
            KibanaInternalConfig.DEFAULT,
            DecisionHeaderAudience.ADMINS,
            Optional.empty());

    public IdentityConfig {
        sources = List.copyOf(sources);
        Objects.requireNonNull(anonymousRole, "anonymousRole");
        Objects.requireNonNull(elasticsearch, "elasticsearch");
        Objects.requireNonNull(signedHeader, "signedHeader");
        Objects.requireNonNull(staticCacheTtl, "staticCacheTtl");
        Objects.requireNonNull(kibanaInternal, "kibanaInternal");
        Objects.requireNonNull(decisionHeader, "decisionHeader");
        Objects.requireNonNull(continuationSecret, "continuationSecret");
    }

    /** @param users read before, since the {@code static} source needs some */
    static IdentityConfig read(Optional<ConfigSection> maybeSection, UsersConfig users) {
        if (maybeSection.isEmpty()) {
            return OFF;
        }
        ConfigSection section = maybeSection.get();
        Optional<ConfigValue> sourcesValue = section.required("sources");
        List<ConfigValue> items = sourcesValue.flatMap(ConfigValue::list).orElse(List.of());
        Optional<String> anonymousRole = section.value("anonymous_role").flatMap(RoleNames::role);
        EsIdentityConfig elasticsearch = EsIdentityConfig.read(section.section("elasticsearch"));
        Optional<ConfigSection> signedSection = section.optionalSection("signed_header");
        Optional<SignedHeaderConfig> signedHeader = signedSection.flatMap(SignedHeaderConfig::read);
        Duration staticCacheTtl = section.section("static")
                .duration("cache_ttl", DEFAULT_STATIC_CACHE_TTL, Duration.ZERO, Duration.ofHours(1));
        KibanaInternalConfig kibanaInternal = KibanaInternalConfig.read(section.section("kibana_internal"));
        DecisionHeaderAudience decisionHeader = DecisionHeaderAudience.read(section, "decision_header");
        // asked as a secret first, so that every message about it leaves the value out
        Optional<Secret> continuationSecret = section.secret("continuation_secret");
        if (continuationSecret.isPresent()
                && continuationSecret.get().value().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                        < SignedHeaderConfig.MIN_SECRET_BYTES) {
            section.problem(
                    "continuation_secret",
                    "must be at least " + SignedHeaderConfig.MIN_SECRET_BYTES
                            + " bytes long, the same on every instance; make one with: openssl rand -hex 32");
            continuationSecret = Optional.empty();
        }

        List<IdentitySource> sources = new ArrayList<>();
        for (ConfigValue item : items) {
            Optional<String> name = item.string();
            if (name.isEmpty()) {
                continue;
            }
            Optional<IdentitySource> source = IdentitySource.of(name.get());
            if (source.isEmpty()) {
                item.problem("must be one of " + IdentitySource.allowed());
            } else if (sources.contains(source.get())) {
                item.problem("is listed twice");
            } else {
                sources.add(source.get());
                if (source.get() == IdentitySource.SIGNED_HEADER && signedSection.isEmpty()) {
                    item.problem("needs an identity.signed_header section with a secret");
                } else if (source.get() == IdentitySource.STATIC && !users.anyWithPassword()) {
                    item.problem("needs at least one entry in users with a password_hash");
                }
            }
        }
        if (sourcesValue.isPresent() && sourcesValue.get().isEmptyList() && !section.isSet("anonymous_role")) {
            sourcesValue
                    .get()
                    .problem("lists no source and identity.anonymous_role is not set, so every request"
                            + " would get 401; list a source or set anonymous_role");
        }
        return new IdentityConfig(
                true,
                sources,
                anonymousRole,
                elasticsearch,
                signedHeader,
                staticCacheTtl,
                kibanaInternal,
                decisionHeader,
                continuationSecret);
    }

    Map<String, Object> toYamlTree() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("sources", sources.stream().map(IdentitySource::configName).toList());
        anonymousRole.ifPresent(r -> tree.put("anonymous_role", r));
        tree.put("elasticsearch", elasticsearch.toYamlTree());
        signedHeader.ifPresent(s -> tree.put("signed_header", s.toYamlTree()));
        tree.put("static", Map.of("cache_ttl", Durations.format(staticCacheTtl)));
        tree.put("kibana_internal", kibanaInternal.toYamlTree());
        if (decisionHeader != DecisionHeaderAudience.ADMINS) {
            tree.put("decision_header", decisionHeader.configName());
        }
        continuationSecret.ifPresent(secret -> tree.put("continuation_secret", secret.toString()));
        return tree;
    }
}
