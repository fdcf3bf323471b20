package io.github.jakartaratelimit.it.app;

import io.github.jakartaratelimit.RateLimitExempt;
import io.github.jakartaratelimit.RateLimited;

import java.lang.management.ManagementFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/** A key hot enough to be leased on a distributed store, and the store's statistics MXBean as a test reads it. */
@Path("lease")
@ApplicationScoped
public class LeaseResource {

    @GET
    @Path("hot")
    @RateLimited(name = "hot", value = "3000 per hour", key = RateLimited.Key.GLOBAL)
    public String hot() {
        return "hot";
    }

    /** {@code invokes localDecisions leasing} of this application's counter store. */
    @GET
    @Path("statistics")
    @RateLimitExempt
    public String statistics() throws JMException {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        for (ObjectName name : server.queryNames(new ObjectName("io.github.jakartaratelimit:type=CounterStore,*"), null)) {
            return server.getAttribute(name, "Invokes") + " " + server.getAttribute(name, "LocalDecisions") + " "
                    + server.getAttribute(name, "Leasing");
        }
        return "none";
    }
}
