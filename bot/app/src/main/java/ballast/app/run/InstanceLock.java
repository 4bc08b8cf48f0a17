package ballast.app.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One bot per account: an exclusive lock on a file beside the account's journal, holding the process id of its
 * holder. The operating system releases it when the process dies, however it dies, so a killed bot never blocks the
 * next one.
 */
public final class InstanceLock implements AutoCloseable {

    /** Another process holds the account. */
    public static final class HeldException extends RuntimeException {
        HeldException(String message) {
            super(message);
        }
    }

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock at {@code file} for this process, or says which process holds it. */
    public static InstanceLock take(Path file, String account) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (java.nio.channels.OverlappingFileLockException inThisProcess) {
                lock = null;
            }
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new HeldException("another Ballast (process " + (holder.isEmpty() ? "unknown" : holder)
                        + ") is already running on " + account + " (lock " + file.toAbsolutePath()
                        + "): one bot per account; stop it first");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(
                    String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            channel.force(true);
            return new InstanceLock(channel, lock);
        } catch (IOException e) {
            throw new HeldException("cannot take the lock " + file.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            // Stopped cleanly: the file names no holder (after a kill it still names the dead one; the lock is free).
            channel.truncate(0);
            lock.release();
            channel.close();
        } catch (IOException e) {
            // The process is ending; the operating system releases the lock with it.
        }
    }
}
