package io.dataops.jobs.batch;

import io.dataops.core.db.PlatformDatabase;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.batch.core.configuration.support.MapJobRegistry;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.launch.support.TaskExecutorJobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.JdbcJobRepositoryFactoryBean;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.task.SyncTaskExecutor;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Spring Batch's job repository in the platform database (the catalog's JDBC URL: the embedded SQLite file or
 * PostgreSQL), created on first use from Spring Batch's own schema scripts, and a job operator that runs jobs in the
 * calling thread. Built by hand, without a Spring context: the CLI starts in well under a second.
 */
public final class BatchInfrastructure {
  private final DataSource dataSource;
  private final JdbcTransactionManager transactionManager;
  private final JobRepository jobRepository;
  private final TaskExecutorJobOperator jobOperator;
  private final MapJobRegistry registry = new MapJobRegistry();

  public BatchInfrastructure(String jdbcUrl, String user, String password) {
    Properties props = PlatformDatabase.prepare(jdbcUrl, user, password);
    boolean sqlite = jdbcUrl.startsWith("jdbc:sqlite:");
    if (sqlite) {
      // The step checkpoints need not each wait for the disk: in WAL mode a commit without its own sync may be lost
      // to a power failure but never out of order, and the next synced commit (the catalog's, the audit's) makes
      // every earlier one durable. What a power failure can leave is a prefix of the commits, the
      // state a kill -9 at that moment leaves, which restarts already handle. 309 syncs of the WAL in a 1M-row
      // pipeline run (0.21 s here, far more on a slow disk) became 21.
      props.setProperty("journal_mode", "WAL"); // as prepare left the file (a persistent setting: PlatformDatabase.url)
      props.setProperty("synchronous", "NORMAL");
    }
    try {
      Driver driver = DriverManager.getDriver(jdbcUrl);
      SimpleDriverDataSource ds = new SimpleDriverDataSource(driver, jdbcUrl);
      ds.setConnectionProperties(props);
      // SQLite: transactions take the write lock before their first read (see ImmediateTransactions), so another
      // process writing to the platform database meanwhile does not fail a job's step.
      this.dataSource = sqlite ? io.dataops.core.db.ImmediateTransactions.of(ds) : ds;
      createSchema(sqlite ? "sqlite" : "postgresql");
      this.transactionManager = new JdbcTransactionManager(dataSource);
      JdbcJobRepositoryFactoryBean factory = new JdbcJobRepositoryFactoryBean();
      factory.setDataSource(dataSource);
      factory.setTransactionManager(transactionManager);
      // SQLite has one writer at a time: serializable creation only adds lock upgrades; the job key is unique anyway.
      factory.setIsolationLevelForCreate("ISOLATION_READ_COMMITTED");
      factory.afterPropertiesSet();
      this.jobRepository = oneCallAtATime(factory.getObject());
      TaskExecutorJobOperator operator = new TaskExecutorJobOperator();
      operator.setJobRepository(jobRepository);
      operator.setJobRegistry(registry);
      operator.setTaskExecutor(new SyncTaskExecutor());
      operator.afterPropertiesSet();
      this.jobOperator = operator;
    } catch (Exception e) {
      throw new IllegalStateException("cannot set up the Spring Batch job repository", e);
    }
  }

  /**
   * The repository with its calls made one at a time: a job's split runs two steps at once (see SpringBatchExecutor),
   * and Spring Batch's JobExecution keeps its step executions in a plain list that creating a step execution adds to.
   * Each call is a short transaction of its own (the steps hold none between calls), so waiting here costs little,
   * and an SQLite database, which has one writer anyway, is not asked by two threads at once (that would have one
   * sleep in SQLite's busy handler).
   */
  private static JobRepository oneCallAtATime(JobRepository repository) {
    Object lock = new Object();
    return (JobRepository) java.lang.reflect.Proxy.newProxyInstance(JobRepository.class.getClassLoader(),
        new Class<?>[] {JobRepository.class}, (proxy, method, args) -> {
          if (method.getDeclaringClass() == Object.class) { // equals, hashCode, toString: of the proxy itself
            return switch (method.getName()) {
              case "equals" -> proxy == args[0];
              case "hashCode" -> System.identityHashCode(proxy);
              default -> "one call at a time: " + repository;
            };
          }
          synchronized (lock) {
            try {
              return method.invoke(repository, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          }
        });
  }

  /**
   * Creates Spring Batch's tables unless they are there, in one transaction that first takes a lock, so that two
   * processes starting on a fresh database do not both find the tables missing and both create them (the second
   * failed with "table BATCH_JOB_INSTANCE already exists"; its earlier catch looked for that text in the wrong
   * message). SQLite: the connection's first statement begins the transaction IMMEDIATE, which waits for the one
   * write lock; PostgreSQL: a transaction-scoped advisory lock. DDL is transactional in both: the second process waits,
   * then finds the first one's tables, all or none of them.
   */
  private void createSchema(String dialect) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (java.sql.Statement lock = c.createStatement()) {
          lock.execute(dialect.equals("sqlite") ? "SELECT 1" : "SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")");
        }
        if (!hasTables(c)) {
          new ResourceDatabasePopulator(new ClassPathResource(
              "org/springframework/batch/core/schema-" + dialect + ".sql")).populate(c);
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    }
  }

  /** The advisory lock key of the schema's creation (PostgreSQL): "dataops batch" in ASCII, as a number. */
  private static final long SCHEMA_LOCK = 0x6461_7461_6F70_7362L;

  private static boolean hasTables(Connection c) throws SQLException {
    try (ResultSet r = c.getMetaData().getTables(null, null, "%", new String[] {"TABLE"})) {
      while (r.next()) {
        if (r.getString("TABLE_NAME").equalsIgnoreCase("BATCH_JOB_INSTANCE")) {
          return true;
        }
      }
    }
    return false;
  }

  public JobRepository jobRepository() {
    return jobRepository;
  }

  public JobOperator jobOperator() {
    return jobOperator;
  }

  /** Makes {@code job} known by name (a restart looks the job up), replacing an earlier one of that name. */
  public void register(org.springframework.batch.core.job.Job job) {
    registry.unregister(job.getName());
    try {
      registry.register(job);
    } catch (org.springframework.batch.core.configuration.DuplicateJobException e) {
      throw new IllegalStateException(e);
    }
  }

  public JdbcTransactionManager transactionManager() {
    return transactionManager;
  }
}
