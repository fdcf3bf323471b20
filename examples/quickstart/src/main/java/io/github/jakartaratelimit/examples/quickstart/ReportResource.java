package io.github.jakartaratelimit.examples.quickstart;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** Not annotated itself: the limit lives on the EJB it calls (and ratelimit.default applies here). */
@Path("reports")
public class ReportResource {

    @Inject
    ReportService reports;

    @POST
    public String create() {
        return reports.build();
    }
}
