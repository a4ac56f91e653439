/** AssertJ assertions for pods, workloads, jobs, volumes and events. Empty until the assertions issue lands. */
package dev.kubetest.assertions;
