package io.sketchgate.demo;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A deterministic stream of web-site page views: by default 1,000,000 events over the 30 days ending
 * at the current hour, from a population of 200,000 users.
 *
 * <p>Shape, chosen so unique counts behave as on a real site:
 * <ul>
 *   <li>Users are Zipf–Mandelbrot distributed (exponent 1.0, offset 50): the top 1% of users make ~45%
 *       of the views, the heaviest about 80 a day, and ~70% of the population shows up within 30 days.
 *   <li>Each user has a home country (15 countries, US 30% ... SE 2%) and a main device used for 85% of
 *       their views; so per-country unique counts are well defined.
 *   <li>Traffic follows the day (peak 15:00 UTC, trough 03:00 at a quarter of the peak) and weekends
 *       carry 20% less.
 *   <li>URLs are Zipf distributed over ~1,000 paths; status and size vary as on a real site.
 * </ul>
 *
 * <p>The same seed, size, span, end and population always give the same events: each hour draws from
 * its own {@link SplitMix64} seeded from the seed and the hour, and the number of events per hour is
 * fixed arithmetically (largest remainder). Tests replay {@link #events()} to compute true unique counts.
 * Events come out in timestamp order and only one hour (~1,400 events by default) is in memory at once.
 */
public final class SampleWebLogs {

    /** Mapping of every sample index: the time field and keywords for everything counted or grouped. */
    public static final String MAPPING = """
            {"dynamic":"strict","properties":{
              "@timestamp":{"type":"date"},
              "user_id":{"type":"keyword"},
              "country":{"type":"keyword"},
              "device":{"type":"keyword"},
              "url":{"type":"keyword"},
              "status":{"type":"short"},
              "bytes":{"type":"long"}}}""";

    private static final DateTimeFormatter MONTH =
            DateTimeFormatter.ofPattern("yyyy.MM").withZone(ZoneOffset.UTC);
    private static final double MAIN_DEVICE_SHARE = 0.85;

    private final long seed;
    private final long eventCount;
    private final int days;
    private final Instant end;
    private final int users;
    private final String indexPrefix;
    private final long[] eventsPerHour;
    private final ZipfSampler userSampler;
    private final ZipfSampler urlSampler;
    private final List<String> urls;
    private final long userPermutation;
    private final WeightedChoice<String> countries = new WeightedChoice<>(weights(
            "US", 30, "IN", 14, "DE", 9, "GB", 8, "BR", 7, "FR", 6, "JP", 5, "CA", 4, "ES", 4, "IT", 3, "NL", 3, "AU",
            3, "MX", 2, "PL", 2, "SE", 2));
    private final WeightedChoice<String> devices =
            new WeightedChoice<>(weights("desktop", 46, "mobile", 44, "tablet", 8, "tv", 2));
    private final WeightedChoice<Integer> statuses =
            new WeightedChoice<>(weights(200, 900, 304, 50, 404, 30, 301, 15, 500, 5));

    private SampleWebLogs(Builder builder) {
        this.seed = builder.seed;
        this.eventCount = builder.events;
        this.days = builder.days;
        this.end = builder.end;
        this.users = builder.users;
        this.indexPrefix = builder.indexPrefix;
        this.eventsPerHour = allocate(eventCount, days * 24, start());
        this.userSampler = new ZipfSampler(users, 1.0, 50);
        this.urls = urlCatalog();
        this.urlSampler = new ZipfSampler(urls.size(), 1.1, 2);
        this.userPermutation = coprimeMultiplier(users);
    }

    public static Builder builder() {
        return new Builder();
    }

    public long seed() {
        return seed;
    }

    public long eventCount() {
        return eventCount;
    }

    public int days() {
        return days;
    }

    /** Inclusive; {@link #end()} minus {@link #days()}. */
    public Instant start() {
        return end.minus(Duration.ofDays(days));
    }

    /** Exclusive, on a whole hour. */
    public Instant end() {
        return end;
    }

    public int users() {
        return users;
    }

    public String indexPrefix() {
        return indexPrefix;
    }

    /** {@code <prefix>-*}, matching every monthly index. */
    public String indexPattern() {
        return indexPrefix + "-*";
    }

    /** The monthly index an event at {@code timestamp} goes to: {@code <prefix>-yyyy.MM} (UTC). */
    public String indexFor(Instant timestamp) {
        return indexPrefix + "-" + MONTH.format(timestamp);
    }

    /** Every monthly index the span touches, oldest first. */
    public List<String> indices() {
        TreeSet<String> names = new TreeSet<>();
        for (Instant month = start(); month.isBefore(end); month = month.plus(Duration.ofDays(1))) {
            names.add(indexFor(month));
        }
        names.add(indexFor(end.minusMillis(1)));
        return List.copyOf(names);
    }

    /** The events in timestamp order; every call replays them from the start. */
    public Iterator<PageView> iterator() {
        return new EventIterator();
    }

    public Stream<PageView> events() {
        return StreamSupport.stream(
                Spliterators.spliterator(
                        iterator(),
                        eventCount,
                        Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.SIZED | Spliterator.IMMUTABLE),
                false);
    }

    /** How many events fall into hour {@code hour} (0 = the hour starting at {@link #start()}). */
    long eventsInHour(int hour) {
        return eventsPerHour[hour];
    }

    /**
     * Splits {@code total} events over the hours in proportion to their weights, so the counts add up
     * exactly: floors first, then the largest remainders get one more (ties to the earlier hour).
     */
    private static long[] allocate(long total, int hours, Instant start) {
        double[] weights = new double[hours];
        double sum = 0;
        for (int h = 0; h < hours; h++) {
            weights[h] = hourWeight(start.plus(Duration.ofHours(h)));
            sum += weights[h];
        }
        long[] counts = new long[hours];
        Integer[] byRemainder = new Integer[hours];
        double[] remainders = new double[hours];
        long assigned = 0;
        for (int h = 0; h < hours; h++) {
            double exact = total * weights[h] / sum;
            counts[h] = (long) Math.floor(exact);
            remainders[h] = exact - counts[h];
            assigned += counts[h];
            byRemainder[h] = h;
        }
        Arrays.sort(
                byRemainder,
                (a, b) -> remainders[a] != remainders[b]
                        ? Double.compare(remainders[b], remainders[a])
                        : Integer.compare(a, b));
        for (int i = 0; i < total - assigned; i++) {
            counts[byRemainder[i]]++;
        }
        return counts;
    }

    /** Diurnal wave peaking at 15:00 UTC with a quarter of the peak at 03:00, weekends 20% lower. */
    private static double hourWeight(Instant hourStart) {
        ZonedDateTime time = hourStart.atZone(ZoneOffset.UTC);
        double diurnal = 1 + 0.6 * Math.sin(2 * Math.PI * (time.getHour() - 9) / 24.0);
        DayOfWeek day = time.getDayOfWeek();
        return diurnal * (day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY ? 0.8 : 1.0);
    }

    /** Popularity order: home and search first, then products, articles and categories interleaved. */
    private static List<String> urlCatalog() {
        List<String> catalog = new ArrayList<>(List.of(
                "/",
                "/search",
                "/products",
                "/cart",
                "/login",
                "/checkout",
                "/account",
                "/pricing",
                "/help",
                "/about",
                "/contact",
                "/blog"));
        String[] categories = {
            "shoes", "shirts", "jackets", "bags", "hats", "watches", "socks", "jeans", "dresses", "kids", "sale", "new"
        };
        for (int i = 1; i <= 600; i++) {
            catalog.add("/products/p-" + i);
            if (i % 2 == 0) {
                catalog.add("/blog/post-" + (i / 2));
            }
            if (i % 50 == 0) {
                catalog.add("/category/" + categories[i / 50 - 1]);
            }
        }
        return List.copyOf(catalog);
    }

    /** A multiplier coprime with {@code n}, so {@code rank * m mod n} permutes user numbers. */
    private static long coprimeMultiplier(int n) {
        long m = 1_000_003;
        while (gcd(m, n) != 1) {
            m += 2;
        }
        return m;
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
    }

    private static <T> LinkedHashMap<T, Double> weights(Object... pairs) {
        LinkedHashMap<T, Double> weights = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            @SuppressWarnings("unchecked")
            T value = (T) pairs[i];
            weights.put(value, ((Number) pairs[i + 1]).doubleValue());
        }
        return weights;
    }

    private PageView event(long sequence, long timestampMillis, SplitMix64 random) {
        int rank = userSampler.sample(random);
        long userNumber = (rank * userPermutation) % users;
        // attributes of the person, not of the visit: derived from the user, not from the stream
        String country = countries.pick(unit(SplitMix64.mix(userNumber ^ 0x636f756e747279L)));
        String mainDevice = devices.pick(unit(SplitMix64.mix(userNumber ^ 0x646576696365L)));
        String device = random.nextDouble() < MAIN_DEVICE_SHARE ? mainDevice : devices.pick(random.nextDouble());
        int urlRank = urlSampler.sample(random);
        int status = statuses.pick(random.nextDouble());
        long bytes = status == 304
                ? 0
                : Math.round((urlRank < 12 ? 18_000 : 42_000) * Math.exp(0.5 * random.nextGaussian()));
        return new PageView(
                sequence,
                Instant.ofEpochMilli(timestampMillis),
                String.format("u%07d", userNumber),
                country,
                device,
                urls.get(urlRank),
                status,
                bytes);
    }

    private static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }

    /** Generates one hour at a time, in order. */
    private final class EventIterator implements Iterator<PageView> {
        private int hour = -1;
        private List<PageView> current = List.of();
        private int position;
        private long sequence;

        @Override
        public boolean hasNext() {
            while (position == current.size()) {
                if (hour + 1 >= eventsPerHour.length) {
                    return false;
                }
                hour++;
                current = generateHour(hour);
                position = 0;
            }
            return true;
        }

        @Override
        public PageView next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return current.get(position++);
        }

        private List<PageView> generateHour(int h) {
            int count = (int) eventsPerHour[h];
            SplitMix64 random = new SplitMix64(SplitMix64.mix(seed * 31 + h));
            long hourStart = start().plus(Duration.ofHours(h)).toEpochMilli();
            long[] offsets = new long[count];
            for (int i = 0; i < count; i++) {
                offsets[i] = random.nextLong(3_600_000L);
            }
            Arrays.sort(offsets);
            List<PageView> events = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                events.add(event(sequence++, hourStart + offsets[i], random));
            }
            return events;
        }
    }

    /** Parameters; defaults are the demo's. */
    public static final class Builder {
        private long seed = 42;
        private long events = 1_000_000;
        private int days = 30;
        private Instant end;
        private int users = 200_000;
        private String indexPrefix = "weblogs";

        private Builder() {}

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public Builder events(long events) {
            if (events < 0) {
                throw new IllegalArgumentException("events must not be negative, was " + events);
            }
            this.events = events;
            return this;
        }

        public Builder days(int days) {
            if (days <= 0) {
                throw new IllegalArgumentException("days must be positive, was " + days);
            }
            this.days = days;
            return this;
        }

        /** Exclusive end of the span, truncated to the hour; default the start of the current hour. */
        public Builder end(Instant end) {
            this.end = end.truncatedTo(ChronoUnit.HOURS);
            return this;
        }

        /** Size of the user population (not all of it visits). */
        public Builder users(int users) {
            if (users <= 0) {
                throw new IllegalArgumentException("users must be positive, was " + users);
            }
            this.users = users;
            return this;
        }

        /** Indices are named {@code <prefix>-yyyy.MM}; tests pass a unique prefix. */
        public Builder indexPrefix(String indexPrefix) {
            this.indexPrefix = indexPrefix;
            return this;
        }

        public SampleWebLogs build() {
            if (end == null) {
                end = Instant.now().truncatedTo(ChronoUnit.HOURS);
            }
            return new SampleWebLogs(this);
        }
    }
}
