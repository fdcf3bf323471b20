package io.github.jakartaratelimit.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/** Concurrent requests, as a burst of clients would send them, and the statuses they got. */
final class Load {

    private static final int THREADS = 8;

    private Load() {
    }

    /** Sends {@code requests} requests from {@value #THREADS} threads released together; counts the statuses. */
    static Map<Integer, AtomicInteger> hammer(int requests, IntFunction<HttpResponse<String>> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
            AtomicInteger next = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                workers.add(pool.submit(() -> {
                    start.await();
                    for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                        statuses.computeIfAbsent(request.apply(i).statusCode(), s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> worker : workers) {
                worker.get(120, TimeUnit.SECONDS);
            }
            return statuses;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Exactly {@code admitted} of the {@code requests} were answered 200, all others 429. */
    static void assertAdmitted(int admitted, int requests, Map<Integer, AtomicInteger> statuses) {
        assertEquals(admitted, count(statuses, 200), statuses.toString());
        assertEquals(requests - admitted, count(statuses, 429), statuses.toString());
    }

    static int count(Map<Integer, AtomicInteger> statuses, int status) {
        AtomicInteger n = statuses.get(status);
        return n == null ? 0 : n.get();
    }
}
