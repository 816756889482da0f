package dev.sfstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code listen --exclusive[=GROUP]} names its group. */
class ListenExclusiveOptionTest {
    private static ListenCommand parse(String... args) {
        ListenCommand listen = new ListenCommand();
        new CommandLine(listen).parseArgs(args);
        return listen;
    }

    @Test
    void withoutANameTheGroupIsListenAndTheSortedChannels() {
        assertThat(parse("/event/B__e", "/event/A__e", "--exclusive").group())
                .isEqualTo("listen:/event/A__e,/event/B__e");
    }

    @Test
    void aChannelAfterABareExclusiveIsAChannelNotAGroup() {
        ListenCommand listen = parse("--exclusive", "/event/B__e", "/event/A__e");
        assertThat(listen.group()).isEqualTo("listen:/event/A__e,/event/B__e");
        assertThat(listen.channels).containsExactly("/event/B__e", "/event/A__e");
    }

    @Test
    void aNamedGroupIsTaken() {
        assertThat(parse("/event/A__e", "--exclusive=orders").group()).isEqualTo("orders");
    }

    @Test
    void withoutTheOptionThereIsNoGroup() {
        assertThat(parse("/event/A__e").group()).isNull();
    }
}
