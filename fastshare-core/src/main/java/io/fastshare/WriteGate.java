package io.fastshare;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the writes in flight so that {@code close()} can wait for them and release what they wrote,
 * instead of releasing the blocks it knows of while a write is still creating another one.
 *
 * <p>States: open, closing (close waits for writes in flight), closed (the wait is over). A write
 * enters only while open; when it leaves it learns whether the template started closing meanwhile.
 *
 * <p>Thread-safe.
 */
final class WriteGate {

    /** Where a write stands when it leaves the gate. */
    enum Exit {
        /** The template is open: the write stands. */
        OPEN,
        /** close() is waiting for this write: its block is still under the owner's lease. */
        CLOSING,
        /** close() stopped waiting: the lease may be gone and the release on close is over. */
        CLOSED
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition drained = lock.newCondition();
    private int inFlight;
    private Exit state = Exit.OPEN;

    /**
     * Lets a write in.
     *
     * @return true when the template is open; false when it is closing or closed
     */
    boolean enter() {
        lock.lock();
        try {
            if (state != Exit.OPEN) {
                return false;
            }
            inFlight++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Lets a write out.
     *
     * @return the template's state as the write leaves
     */
    Exit exit() {
        lock.lock();
        try {
            inFlight--;
            if (inFlight == 0) {
                drained.signalAll();
            }
            return state;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops new writes and waits for those in flight, at most {@code timeout}. Uninterruptible: a close
     * that gave up early because its thread was interrupted would leave blocks behind; the interrupt
     * flag is restored on return.
     *
     * @param timeout the longest wait
     * @return the number of writes still in flight when the wait ended (0 when all finished)
     */
    int closeAndAwait(Duration timeout) {
        boolean interrupted = false;
        lock.lock();
        try {
            state = Exit.CLOSING;
            long nanos = timeout.toNanos();
            while (inFlight > 0 && nanos > 0) {
                try {
                    nanos = drained.awaitNanos(nanos);
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            state = Exit.CLOSED;
            return inFlight;
        } finally {
            lock.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
