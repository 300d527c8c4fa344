package dev.theon.dsl

import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import kotlin.coroutines.CoroutineContext

/*
 * Calls from coroutines. A compiled function runs on the calling thread and keeps it busy until the graph is done,
 * which a UI thread or a server's event loop cannot afford; these variants run the call on Dispatchers.Default (sized
 * for CPU work) and suspend the caller meanwhile. A call, once started, runs to its end (its updates are committed
 * together or not at all); cancelling the caller makes it resume with a CancellationException afterwards.
 */

/** [Compiled.call] on [context] (default: Dispatchers.Default), suspending the caller until it is done. */
suspend fun <R> Compiled<R>.callSuspend(vararg args: Any?, context: CoroutineContext = Dispatchers.Default): R =
    withContext(context) { call(*args) }

/** `f(a)` without blocking the caller's thread. */
suspend fun <R> Fn1<R>.invokeSuspending(a: Any): R = callSuspend(a)

/** `f(a, b)` without blocking the caller's thread. */
suspend fun <R> Fn2<R>.invokeSuspending(a: Any, b: Any): R = callSuspend(a, b)

/** `f(a, b, c)` without blocking the caller's thread. */
suspend fun <R> Fn3<R>.invokeSuspending(a: Any, b: Any, c: Any): R = callSuspend(a, b, c)

/** `f(a, b, c, d)` without blocking the caller's thread. */
suspend fun <R> Fn4<R>.invokeSuspending(a: Any, b: Any, c: Any, d: Any): R = callSuspend(a, b, c, d)

/** `f()` without blocking the caller's thread. */
suspend fun <R> Fn0<R>.invokeSuspending(): R = callSuspend()
