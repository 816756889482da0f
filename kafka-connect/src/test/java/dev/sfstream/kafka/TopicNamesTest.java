package dev.sfstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Channel names made legal Kafka topic names, deterministically. */
class TopicNamesTest {
    private final TopicNames defaults = new TopicNames("salesforce.${channel}");

    @Test
    void slashesBecomeDotsAndLeadingSeparatorsGo() {
        assertThat(defaults.topic("/topic/Leads")).isEqualTo("salesforce.topic.Leads");
        assertThat(defaults.topic("/event/Order_Placed__e")).isEqualTo("salesforce.event.Order_Placed__e");
        assertThat(defaults.topic("/data/AccountChangeEvent")).isEqualTo("salesforce.data.AccountChangeEvent");
        assertThat(defaults.topic("/u/alerts/eu-west.1")).isEqualTo("salesforce.u.alerts.eu-west.1");
        assertThat(new TopicNames("${channel}").topic("/topic/Leads")).isEqualTo("topic.Leads");
    }

    @Test
    void otherIllegalCharactersBecomeUnderscores() {
        assertThat(defaults.topic("/topic/Leads?Company='Acme'&Status='Open'"))
                .isEqualTo("salesforce.topic.Leads_Company__Acme__Status__Open_")
                .matches("[a-zA-Z0-9._-]+");
        assertThat(TopicNames.sanitize("?/x")).isEqualTo("x");
    }

    @Test
    void tooLongNamesAreCutWithAHashDeterministically() {
        String longA = "/u/" + "a".repeat(300);
        String longB = "/u/" + "a".repeat(301);

        String topicA = defaults.topic(longA);
        assertThat(topicA).hasSize(249).matches("[a-zA-Z0-9._-]+").startsWith("salesforce.u.aaa");
        assertThat(new TopicNames("salesforce.${channel}").topic(longA)).isEqualTo(topicA);
        assertThat(defaults.topic(longB)).hasSize(249).isNotEqualTo(topicA);
        assertThat(defaults.topic("/u/" + "a".repeat(236))).hasSize(249).isEqualTo("salesforce.u." + "a".repeat(236));
    }

    @Test
    void aTemplateWithoutTheChannelSendsEveryChannelToOneTopic() {
        TopicNames one = new TopicNames("salesforce-events");

        assertThat(one.topic("/topic/Leads")).isEqualTo("salesforce-events");
        assertThat(one.topic("/event/Order__e")).isEqualTo("salesforce-events");
    }

    @Test
    void aTemplateWithIllegalCharactersIsRefused() {
        assertThatThrownBy(() -> new TopicNames("sales force.${channel}")).hasMessageContaining("' '");
        assertThatThrownBy(() -> new TopicNames("crm/${channel}")).hasMessageContaining("'/'");
        assertThatThrownBy(() -> new TopicNames(" ")).hasMessageContaining("empty");
        assertThatThrownBy(() -> new TopicNames("..")).hasMessageContaining("not a legal");
    }
}
