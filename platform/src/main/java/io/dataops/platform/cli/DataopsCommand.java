package io.dataops.platform.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "dataops", mixinStandardHelpOptions = true, version = "dataops 0.1.0",
    description = "Trusted data-product platform for public data authorized operation (公共数据授权运营).",
    subcommands = {DemoCommand.class, GenerateCommand.class, ContractCommand.class, LandCommand.class,
        TableCommand.class, QualityCommand.class, FeedbackCommand.class, PipelineCommand.class,
        ProductCommand.class, GrantCommand.class, BillingCommand.class,
        SuperviseCommand.class, EvaluateCommand.class, AuditCommand.class, UserCommand.class, OrgCommand.class,
        AirflowCommand.class, ScheduleCommand.class, SchedulerCommand.class, WarmupCommand.class})
public final class DataopsCommand {
  /** --home and --json, inherited by every subcommand (the factory hands in {@link Cli#common}). */
  @Mixin CommonOptions common;
}
