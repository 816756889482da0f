package dev.sfstream.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Channels spread over tasks: round-robin, at most tasks.max tasks, each channel in exactly one. */
class ChannelAssignmentTest {
    private static final List<String> FIVE = List.of("/topic/A", "/topic/B", "/event/C__e", "/data/ChangeEvents",
            "/u/e");

    @Test
    void roundRobinOverFewerTasksThanChannels() {
        assertThat(ChannelAssignment.roundRobin(FIVE, 2)).containsExactly(
                List.of("/topic/A", "/event/C__e", "/u/e"),
                List.of("/topic/B", "/data/ChangeEvents"));
    }

    @Test
    void neverMoreTasksThanChannels() {
        assertThat(ChannelAssignment.roundRobin(FIVE, 10)).hasSize(5).allSatisfy(g -> assertThat(g).hasSize(1));
        assertThat(ChannelAssignment.roundRobin(FIVE, 1)).containsExactly(FIVE);
        assertThatThrownBy(() -> ChannelAssignment.roundRobin(FIVE, 0)).hasMessageContaining("tasks.max");
    }

    @Test
    void taskConfigsCarryEverySettingAndEachChannelExactlyOnce() {
        SalesforceStreamingSourceConnector connector = new SalesforceStreamingSourceConnector();
        Map<String, String> props = ConnectorConfigValidationTest.valid();
        props.put("salesforce.channels", String.join(",", FIVE));
        connector.start(props);

        for (int maxTasks = 1; maxTasks <= 6; maxTasks++) {
            List<Map<String, String>> configs = connector.taskConfigs(maxTasks);
            assertThat(configs).hasSize(Math.min(maxTasks, FIVE.size()));
            List<String> all = new ArrayList<>();
            for (Map<String, String> task : configs) {
                StreamingSourceConfig config = new StreamingSourceConfig(task);
                all.addAll(config.channels());
                assertThat(task).containsEntry("salesforce.username", "integration@acme.test")
                        .containsEntry("salesforce.login.url", "http://127.0.0.1:9");
            }
            assertThat(all).containsExactlyInAnyOrderElementsOf(FIVE);
        }
    }
}
