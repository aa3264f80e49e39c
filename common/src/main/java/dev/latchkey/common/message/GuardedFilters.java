package dev.latchkey.common.message;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import liqp.TemplateContext;
import liqp.filters.Filter;
import liqp.filters.Filters;

/**
 * Liquid's filters, each checked as it runs. liqp bounds a template's output and its loops but not the values a
 * filter makes: {@code {% assign s = s | append: s %}} in a loop doubles a string past any memory, {@code times}
 * squares a number to millions of digits. Here every filter's result must stay within the rendered size (characters
 * of a string, items of an array) and a thousand digits, and no filter starts after the render's deadline.
 */
final class GuardedFilters {

    static final int MAX_DIGITS = 1000;

    private static final ThreadLocal<long[]> DEADLINE = new ThreadLocal<>();

    private GuardedFilters() {
    }

    /** Every filter of liqp's default flavor, guarded; registered by the same names, they replace the originals. */
    static List<Filter> all(int maxSize, LongSupplier nanoTime) {
        return Filters.JEKYLL_FILTERS.values().stream().<Filter>map(f -> new Guarded(f, maxSize, nanoTime))
                .toList();
    }

    /** Runs a render with its deadline ({@link System#nanoTime()} scale) visible to the filters of this thread. */
    static <T> T within(long deadlineNanos, Supplier<T> render) {
        long[] previous = DEADLINE.get();
        DEADLINE.set(new long[]{deadlineNanos});
        try {
            return render.get();
        } finally {
            if (previous == null) {
                DEADLINE.remove();
            } else {
                DEADLINE.set(previous);
            }
        }
    }

    /** A limit reached inside a filter; its message is the engine's answer. */
    static final class LimitExceeded extends RuntimeException {

        LimitExceeded(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Guarded extends Filter {

        private final Filter inner;
        private final int maxSize;
        private final LongSupplier nanoTime;

        Guarded(Filter inner, int maxSize, LongSupplier nanoTime) {
            super(inner.name);
            this.inner = inner;
            this.maxSize = maxSize;
            this.nanoTime = nanoTime;
        }

        @Override
        public Object apply(Object value, TemplateContext context, Object... params) {
            long[] deadline = DEADLINE.get();
            if (deadline != null && nanoTime.getAsLong() - deadline[0] > 0) {
                throw new LimitExceeded("the template takes too long to render");
            }
            Object result = inner.apply(value, context, params);
            check(result);
            return result;
        }

        private void check(Object result) {
            long size = switch (result) {
                case CharSequence s -> s.length();
                case Object[] a -> a.length;
                case Collection<?> c -> c.size();
                case Map<?, ?> m -> m.size();
                default -> 0;
            };
            if (size > maxSize) {
                throw new LimitExceeded("filter " + name + " makes a value larger than " + maxSize);
            }
            boolean tooLong = switch (result) {
                case BigDecimal d -> d.precision() - d.scale() > MAX_DIGITS || d.scale() > MAX_DIGITS;
                case BigInteger i -> i.bitLength() > MAX_DIGITS * 3;
                default -> false;
            };
            if (tooLong) {
                throw new LimitExceeded("filter " + name + " makes a number of more than " + MAX_DIGITS + " digits");
            }
        }
    }
}
