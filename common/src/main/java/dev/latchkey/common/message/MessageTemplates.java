package dev.latchkey.common.message;

import java.time.Duration;
import java.util.Optional;
import java.util.function.LongSupplier;

import liqp.Template;
import liqp.TemplateParser;
import liqp.exceptions.LiquidException;

import dev.latchkey.common.cache.BoundedCache;
import dev.latchkey.common.event.Channel;

/**
 * The one message-template engine: delivery-service renders every message with it, and admin-service checks a
 * template with it before storing one and renders the console's preview with it. So a template admin-service accepts
 * is one delivery-service renders, whatever the delivery carries.
 *
 * <p>
 * Liquid is liqp, with these limits:
 * <ul>
 * <li>a template of at most {@value #MAX_TEMPLATE_CHARS} characters, parsed strictly (a syntax error is an error);</li>
 * <li>no {@code include} (a template must not read the server's files; the name resolver resolves nothing, and an
 * include is refused where it stands, in a branch taken or not);</li>
 * <li>strict variables: a name that is neither a {@link TemplateVariables variable} nor set by the template is
 * refused wherever it appears ({@link TemplateNames}); a variable that does not apply (the link of a code message) is
 * nil;</li>
 * <li>at most {@value #MAX_ITERATIONS} loop iterations in all, at most {@value #MAX_RENDERED_CHARS} characters of
 * output and of any value a filter makes ({@link GuardedFilters});</li>
 * <li>a deadline: no filter starts once a render has taken {@link #RENDER_BUDGET} (the rest of a render's work is
 * bounded by the size of the template and of its output).</li>
 * </ul>
 * A check ({@link #problem}) renders with the longest values a delivery of the connection can carry and with the
 * preview's values, within a quarter of the delivery's time: what passes it renders at delivery.
 */
public final class MessageTemplates {

    public static final int MAX_TEMPLATE_CHARS = 200_000;
    public static final int MAX_ITERATIONS = 1_000;
    public static final int MAX_RENDERED_CHARS = 256 * 1024;
    public static final Duration RENDER_BUDGET = Duration.ofSeconds(2);
    public static final Duration CHECK_BUDGET = RENDER_BUDGET.dividedBy(4);

    private static final int CACHE_ENTRIES = 1_000;

    private final TemplateParser parser;
    private final LongSupplier nanoTime;
    private final Duration renderBudget;
    private final Duration checkBudget;
    private final BoundedCache<Key, Compiled> compiled = BoundedCache.of(CACHE_ENTRIES);

    private record Key(String source, Channel channel) {
    }

    /** A parsed template, or what is wrong with it (kept, so a broken template is not parsed for every message). */
    private record Compiled(Template template, String problem) {
    }

    public MessageTemplates() {
        this(System::nanoTime, RENDER_BUDGET, CHECK_BUDGET);
    }

    MessageTemplates(LongSupplier nanoTime, Duration renderBudget, Duration checkBudget) {
        this.nanoTime = nanoTime;
        this.renderBudget = renderBudget;
        this.checkBudget = checkBudget;
        TemplateParser.Builder b = new TemplateParser.Builder()
                .withErrorMode(TemplateParser.ErrorMode.STRICT)
                .withStrictVariables(false)
                .withMaxIterations(MAX_ITERATIONS)
                .withMaxSizeRenderedString(MAX_RENDERED_CHARS)
                .withNameResolver(name -> {
                    throw new java.io.IOException("include is not supported in message templates");
                });
        GuardedFilters.all(MAX_RENDERED_CHARS, nanoTime).forEach(b::withFilter);
        this.parser = b.build();
    }

    /**
     * Renders a template for a delivery.
     *
     * @throws TemplateException when it does not parse, breaks a rule or a limit, or fails to render
     */
    public String render(String source, TemplateSyntax syntax, TemplateVariables vars) {
        return render(source, syntax, vars, renderBudget);
    }

    /**
     * What would keep a template of a connection from rendering at delivery, if anything: the engine's message, never
     * a value nor a Java class name. Empty means every delivery of the connection renders it.
     */
    public Optional<String> problem(String source, TemplateSyntax syntax, Channel channel, String language,
            int codeLength, int ttlSeconds) {
        try {
            render(source, syntax, TemplateVariables.longest(channel, language, codeLength, ttlSeconds), checkBudget);
            render(source, syntax,
                    TemplateVariables.preview(channel, language, null, codeLength, ttlSeconds), checkBudget);
            return Optional.empty();
        } catch (TemplateException e) {
            return Optional.of(e.getMessage());
        }
    }

    private String render(String source, TemplateSyntax syntax, TemplateVariables vars, Duration budget) {
        if (source.length() > MAX_TEMPLATE_CHARS) {
            throw new TemplateException("the template is longer than " + MAX_TEMPLATE_CHARS + " characters");
        }
        if (syntax == TemplateSyntax.MD_WITH_MACROS) {
            String text = source.replace(TemplateSyntax.PASSWORD_MACRO, vars.code() == null ? "" : vars.code());
            return withinSize(text);
        }
        Compiled c = compiled.get(new Key(source, vars.channel()), this::compile);
        if (c.problem() != null) {
            throw new TemplateException(c.problem());
        }
        long deadline = nanoTime.getAsLong() + budget.toNanos();
        String text;
        try {
            text = GuardedFilters.within(deadline, () -> c.template().render(vars.asMap()));
        } catch (RuntimeException | StackOverflowError e) {
            throw new TemplateException(message(e));
        }
        return withinSize(text);
    }

    private Compiled compile(Key key) {
        Template t;
        try {
            t = parser.parse(key.source().replace(TemplateSyntax.PASSWORD_MACRO, "{{ password }}"));
        } catch (StackOverflowError e) {
            return new Compiled(null, "the template nests too deeply");
        } catch (RuntimeException e) {
            return new Compiled(null, message(e));
        }
        return TemplateNames.problem(t, key.channel()).map(p -> new Compiled(null, p))
                .orElseGet(() -> new Compiled(t, null));
    }

    private static String withinSize(String text) {
        if (text.length() > MAX_RENDERED_CHARS) {
            throw new TemplateException("rendered string exceeds " + MAX_RENDERED_CHARS);
        }
        return text;
    }

    /** The engine's own words: the innermost message (liqp wraps render failures in generic ones). */
    static String message(Throwable e) {
        if (e instanceof LiquidException) {
            return e.getMessage();
        }
        if (e instanceof StackOverflowError) {
            return "the template nests too deeply";
        }
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank() && !t.getMessage().startsWith("Oops")) {
                message = t.getMessage();
            }
            if (t instanceof LiquidException || t instanceof GuardedFilters.LimitExceeded) {
                break;
            }
        }
        if (message == null) {
            return "the template could not be rendered";
        }
        // Wrappers prefix the cause's class name; the caller needs only the words.
        return message.replaceFirst("^[a-z]+(\\.[a-zA-Z0-9_$]+)+: ", "");
    }
}
