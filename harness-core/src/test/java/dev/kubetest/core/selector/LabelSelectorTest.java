package dev.kubetest.core.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kubetest.core.meta.ApiException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LabelSelectorTest {
    private static final Map<String, String> LABELS = Map.of("app", "web", "tier", "fe", "rel", "stable");

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "app=web|true",
            "app==web|true",
            "app!=web|false",
            "app!=db|true",
            "missing!=x|true",
            "app in (web,db)|true",
            "app in (db)|false",
            "app notin (db, cache)|true",
            "missing notin (x)|true",
            "app|true",
            "!app|false",
            "!missing|true",
            "app=web,tier=fe|true",
            "app=web,tier=be|false",
            "app in (web),!missing,rel|true",
            "''|true"})
    void matchesAsUpstream(String selector, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(LABELS)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"app=we b", "a b=c", "app in web", "=x"})
    void malformedSelectorsAreBadRequests(String selector) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"app=web|app=web", "app in (web),x!=y|app=web"})
    void equalityTermsFeedTheLabelIndex(String selector, String first) {
        String[] kv = first.split("=");
        assertThat(LabelSelector.parse(selector).equalityTerms()).containsEntry(kv[0], kv[1]);
    }
}
