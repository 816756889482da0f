package dev.sfstream.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sfstream.ChannelName;
import org.junit.jupiter.api.Test;

/** Choosing a transport by name, as the CLI and the Spring starter do. */
class TransportTest {
    @Test
    void theStreamingApiIsBuiltInUnderItsNames() {
        assertThat(Transport.named("bayeux")).isSameAs(Transport.bayeux());
        assertThat(Transport.named("CometD")).isSameAs(Transport.bayeux());
        assertThat(Transport.bayeux().name()).isEqualTo("bayeux");
    }

    @Test
    void aTransportThatIsNotOnTheClasspathSaysWhichModuleToAdd() {
        assertThatThrownBy(() -> Transport.named("pubsub")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("add the sfstream-pubsub module");
        assertThatThrownBy(() -> Transport.named("carrier-pigeon")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("known here: bayeux");
    }

    @Test
    void theStreamingApiServesEveryChannelFamily() {
        for (String channel : new String[] {"/topic/A", "/u/B", "/event/C__e", "/data/ChangeEvents"}) {
            Transport.bayeux().checkChannel(ChannelName.of(channel));
        }
    }
}
