package io.sketchgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An IP address or a CIDR block ({@code 10.0.0.0/8}, {@code ::1}), compared byte by byte; literals only, so
 * checking an address never asks DNS.
 */
public record AddressRange(byte[] network, int prefixBits, String text) {
    private static final Pattern IP_V4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IP_V6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    public AddressRange {
        network = network.clone();
    }

    /** Parses {@code address} or {@code address/bits}; empty with a reason when it is neither. */
    static Optional<AddressRange> parse(String text, StringBuilder problem) {
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        if (!IP_V4.matcher(address).matches() && !IP_V6.matcher(address).matches()) {
            problem.append("must be an IP address or a CIDR block like 10.0.0.0/8 (no host names)");
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress(); // a literal: no lookup
        } catch (UnknownHostException e) {
            problem.append("must be an IP address or a CIDR block like 10.0.0.0/8");
            return Optional.empty();
        }
        int bits = bytes.length * 8;
        if (slash >= 0) {
            String suffix = text.substring(slash + 1);
            if (!suffix.matches("\\d{1,3}") || Integer.parseInt(suffix) > bytes.length * 8) {
                problem.append("must have a prefix length from 0 to ").append(bytes.length * 8);
                return Optional.empty();
            }
            bits = Integer.parseInt(suffix);
        }
        return Optional.of(new AddressRange(bytes, bits, text));
    }

    /** Whether {@code address} (an IP literal, as a channel reports it) lies in this range. */
    public boolean contains(String address) {
        if (address == null
                || !(IP_V4.matcher(address).matches() || IP_V6.matcher(address).matches())) {
            return false;
        }
        byte[] candidate;
        try {
            candidate = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            return false;
        }
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefixBits / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixBits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (candidate[whole] & mask) == (network[whole] & mask);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressRange range
                && range.prefixBits == prefixBits
                && Arrays.equals(range.network, network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefixBits;
    }

    @Override
    public String toString() {
        return text;
    }
}
