package io.github.jakartaratelimit.cdi;

import java.lang.reflect.Method;

/** A method as called on one bean class: an inherited method is a different site in each subclass. */
record Site(Class<?> beanClass, Method method) {
}
