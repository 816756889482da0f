package dev.sfstream.spring.boot;

import dev.sfstream.emulator.Emulator;
import dev.sfstream.jdbc.PostgresServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What the tests of the starter on a real database share: one PostgreSQL per test class (Debian's, started on a
 * free loopback port), and for each test an emulator and a fresh order database in it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PostgresOrgTest {
    private PostgresServer pg;
    Emulator emulator;
    OrderDatabase db;

    @BeforeAll
    void startPostgres() throws Exception {
        pg = PostgresServer.start();
    }

    @AfterAll
    void stopPostgres() throws Exception {
        pg.close();
    }

    @BeforeEach
    void startOrg() throws Exception {
        emulator = Emulator.builder().quiet(true).longPollTimeout(Duration.ofSeconds(5)).build().start();
        db = OrderDatabase.create(pg);
    }

    @AfterEach
    void stopOrg() {
        emulator.close();
    }
}
