package ballast.app.run;

import java.time.Duration;
import java.util.Properties;
import java.util.TimeZone;
import org.quartz.CronScheduleBuilder;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;

/**
 * The running bot's periodic jobs on Quartz (RAM store, one worker thread, no update check): each job only runs a quick
 * task that puts an event into the inbox or asks for a read; the engine decides. A job that fails is told to the
 * {@code fault} callback and runs again at its next time; a job still running when its time comes again is not started
 * twice (misfires are skipped, not piled up).
 */
public final class Jobs implements AutoCloseable {

    private final Scheduler scheduler;
    private final java.util.function.Consumer<String> fault;

    public Jobs(String name, java.util.function.Consumer<String> fault) {
        this.fault = fault;
        Properties p = new Properties();
        p.setProperty("org.quartz.scheduler.instanceName", "ballast-" + name);
        p.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        p.setProperty("org.quartz.threadPool.threadCount", "1");
        p.setProperty("org.quartz.threadPool.makeThreadsDaemons", "true");
        p.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
        p.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        p.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
        try {
            this.scheduler = new StdSchedulerFactory(p).getScheduler();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the job scheduler could not be set up: " + e.getMessage(), e);
        }
    }

    /** Runs {@code task} every {@code every}, the first time one period from now. */
    public Jobs every(String name, Duration every, Runnable task) {
        return every(name, every, every, task);
    }

    /** Runs {@code task} every {@code every}, the first time {@code first} from now. */
    public Jobs every(String name, Duration every, Duration first, Runnable task) {
        schedule(
                name,
                task,
                TriggerBuilder.newTrigger()
                        .withIdentity(name)
                        .startAt(new java.util.Date(System.currentTimeMillis() + first.toMillis()))
                        .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                                .withIntervalInMilliseconds(every.toMillis())
                                .repeatForever()
                                .withMisfireHandlingInstructionNextWithRemainingCount())
                        .build());
        return this;
    }

    /** Runs {@code task} on a Quartz cron expression read in UTC ({@code "0 0 0 * * ?"}: every day at 00:00 UTC). */
    public Jobs cron(String name, String expression, Runnable task) {
        schedule(
                name,
                task,
                TriggerBuilder.newTrigger()
                        .withIdentity(name)
                        .withSchedule(CronScheduleBuilder.cronSchedule(expression)
                                .inTimeZone(TimeZone.getTimeZone("UTC"))
                                .withMisfireHandlingInstructionDoNothing())
                        .build());
        return this;
    }

    private void schedule(String name, Runnable task, Trigger trigger) {
        JobDataMap data = new JobDataMap();
        data.put("task", task);
        data.put("fault", fault);
        data.put("name", name);
        JobDetail job = JobBuilder.newJob(Task.class)
                .withIdentity(name)
                .usingJobData(data)
                .build();
        try {
            scheduler.scheduleJob(job, trigger);
        } catch (SchedulerException e) {
            throw new IllegalStateException("the job " + name + " could not be scheduled: " + e.getMessage(), e);
        }
    }

    public void start() {
        try {
            scheduler.start();
        } catch (SchedulerException e) {
            throw new IllegalStateException("the job scheduler could not start: " + e.getMessage(), e);
        }
    }

    /** The names of the jobs scheduled, for the start-up lines. */
    public java.util.List<String> names() {
        try {
            return scheduler.getJobKeys(org.quartz.impl.matchers.GroupMatcher.anyJobGroup()).stream()
                    .map(k -> k.getName())
                    .sorted()
                    .toList();
        } catch (SchedulerException e) {
            return java.util.List.of();
        }
    }

    @Override
    public void close() {
        try {
            scheduler.shutdown(false);
        } catch (SchedulerException e) {
            fault.accept("the job scheduler did not stop cleanly: " + e.getMessage());
        }
    }

    /** Runs the task a job carries; Quartz needs a public class with a public constructor. */
    @org.quartz.DisallowConcurrentExecution
    public static final class Task implements Job {
        public Task() {}

        @Override
        @SuppressWarnings("unchecked")
        public void execute(JobExecutionContext context) {
            JobDataMap data = context.getMergedJobDataMap();
            try {
                ((Runnable) data.get("task")).run();
            } catch (RuntimeException e) {
                ((java.util.function.Consumer<String>) data.get("fault"))
                        .accept("the job " + data.get("name") + " failed: " + e.getMessage());
            }
        }
    }
}
