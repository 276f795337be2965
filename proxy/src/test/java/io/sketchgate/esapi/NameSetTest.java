package io.sketchgate.esapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class NameSetTest {
    private static final String[] MEMBERS = {"has_child", "has_parent", "knn", "significant_terms"};

    @Test
    void answersAsTheSetDoes_forMembers_sameLengthStrangers_andEveryOtherLength() {
        NameSet names = NameSet.of(MEMBERS);
        Set<String> set = Set.of(MEMBERS);
        StringBuilder other = new StringBuilder();
        for (int length = 0; length <= 80; length++) { // past the 64 lengths the mask holds
            assertThat(names.contains(other.toString())).isEqualTo(set.contains(other.toString()));
            other.append('x');
        }
        for (String member : MEMBERS) {
            assertThat(names.contains(member)).isTrue();
            assertThat(names.contains(new String(member.toCharArray()))).isTrue(); // equal, not the same
            assertThat(names.contains(member.toUpperCase(java.util.Locale.ROOT)))
                    .isFalse();
        }
        assertThat(names.contains("@timestamp")).isFalse(); // the length of has_parent
    }

    @Test
    void refusesMembersTheMaskCannotHold() {
        assertThatThrownBy(() -> NameSet.of("x".repeat(64))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> NameSet.of("")).isInstanceOf(IllegalArgumentException.class);
    }
}
