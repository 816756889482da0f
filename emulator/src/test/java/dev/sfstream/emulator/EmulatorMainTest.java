package dev.sfstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The emulator's own command line: the options of {@code sfstream emulator}, in both spellings. */
class EmulatorMainTest {
    @Test
    void readsOptionsWithASpaceOrAnEqualsSign() {
        assertThat(EmulatorMain.parse(new String[] {"--port", "0", "--host=127.0.0.1", "--config", "e.json"}))
                .isEqualTo(Map.of("--port", "0", "--host", "127.0.0.1", "--config", "e.json"));
    }

    @Test
    void takesAnAdvertisedUrl() {
        assertThat(EmulatorMain.parse(new String[] {"--advertised-url", "http://proxy.test:9999"}))
                .isEqualTo(Map.of("--advertised-url", "http://proxy.test:9999"));
    }

    @Test
    void helpIsNotAnError() {
        assertThat(EmulatorMain.parse(new String[] {"--port", "0", "--help"})).isNull();
    }

    @Test
    void unknownOptionsAndMissingValuesAreRefusedWithTheUsage() {
        assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--prot", "8080"}))
                .hasMessageContaining("unknown option --prot").hasMessageContaining("usage:");
        assertThatThrownBy(() -> EmulatorMain.parse(new String[] {"--port"}))
                .hasMessageContaining("--port needs a value");
    }
}
