package dev.sfstream.spring.boot;

import dev.sfstream.ReplayStoreException;
import dev.sfstream.jdbc.JdbcReplayStore;
import dev.sfstream.replay.ReplayStore;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Replay markers in the application's own database, with {@code sfstream.replay-store=jdbc}: a
 * {@link JdbcReplayStore} on the application's {@link DataSource}, and (unless
 * {@code sfstream.replay.jdbc.transactional=false}) {@link TransactionalHandlers}, which run each event's handlers in
 * a transaction of the application's {@link PlatformTransactionManager} that also commits the event's marker.
 * Configured before {@link SfstreamAutoConfiguration}, whose store backs off; after Boot's DataSource.
 */
@AutoConfiguration(before = SfstreamAutoConfiguration.class, afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration",
    "org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration"})
@ConditionalOnBooleanProperty(name = "sfstream.enabled", matchIfMissing = true)
@ConditionalOnClass(name = {"dev.sfstream.jdbc.JdbcReplayStore", "org.springframework.jdbc.datasource.DataSourceUtils",
    "org.springframework.transaction.support.TransactionTemplate"})
@ConditionalOnProperty(name = "sfstream.replay-store", havingValue = StoreLocation.DATA_SOURCE)
@ConditionalOnSingleCandidate(DataSource.class)
@EnableConfigurationProperties(SfstreamProperties.class)
public class SfstreamJdbcAutoConfiguration {
    /**
     * The store on the application's DataSource: it borrows a connection per write and gives it back. Depends on the
     * DataSource, so the context closes it (and the client, before it) before the DataSource. Opens (and checks its
     * tables) after the application's database initialization: Flyway, Liquibase or a schema script may create them.
     */
    @Bean
    @ConditionalOnMissingBean(ReplayStore.class)
    @DependsOnDatabaseInitialization
    public JdbcReplayStore sfstreamJdbcReplayStore(SfstreamProperties properties, DataSource dataSource) {
        boolean createTables = properties.getReplay().getJdbc().isCreateTables();
        try {
            return JdbcReplayStore.builder(dataSource).createTables(createTables).build();
        } catch (ReplayStoreException e) {
            // The database is the application's: unreachable, refusing, or without the tables (and may not or must
            // not create them). The message says which, without a password.
            throw new SfstreamPropertyException("sfstream.replay-store", StoreLocation.DATA_SOURCE,
                    "the replay store on the application's DataSource cannot be opened: " + e.getMessage()
                            + (createTables ? "" : " (here: sfstream.replay.jdbc.create-tables=true; a migration "
                                    + "or schema script that creates them runs before the store opens)"));
        }
    }

    /** Each event's handlers and its marker in one transaction on the store's DataSource. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "sfstream.replay.jdbc.transactional", matchIfMissing = true)
    public TransactionalHandlers sfstreamTransactionalHandlers(ReplayStore store, DataSource dataSource,
            ObjectProvider<PlatformTransactionManager> transactionManagers) {
        if (!(store instanceof JdbcReplayStore jdbc)) {
            throw new SfstreamPropertyException("sfstream.replay.jdbc.transactional", "true", "the application's "
                    + "ReplayStore bean is a " + store.getClass().getName() + ", not a JdbcReplayStore on its "
                    + "DataSource, so markers cannot commit in the handlers' transactions: remove the bean, or set "
                    + "this property to false");
        }
        PlatformTransactionManager transactionManager = transactionManagers.getIfUnique();
        if (transactionManager == null) {
            throw new SfstreamPropertyException("sfstream.replay.jdbc.transactional", "true", "the handlers' "
                    + "transactions need the application's PlatformTransactionManager, and it has "
                    + (transactionManagers.stream().findAny().isPresent() ? "several and none of them @Primary"
                            : "none (spring-boot-starter-jdbc defines one for the DataSource)")
                    + ": define one, or set this property to false to commit markers after the handlers");
        }
        return new TransactionalHandlers(jdbc, dataSource, transactionManager);
    }
}
