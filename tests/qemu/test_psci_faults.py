"""What Linux sees when a core fails on CPU_ON (not at boot): fault builds with FAULT_SKIP=1 spare
the boot's release and hit the OS's first CPU_ON of that core."""
import pytest

from conftest import PLATFORM, platform_settings
from test_psci_linux import check_hotplug, check_muster_handoff, check_psci_linux, psci_flash, psci_summary, run_linux

# One PSCI board is enough for the failure paths: the one whose platform.mk says PSCI_LINUX_FAULTS.
pytestmark = pytest.mark.skipif(platform_settings(PLATFORM)["PSCI_LINUX_FAULTS"] != "yes",
                                reason="platform.mk: the Linux CPU_ON failure paths run on another PSCI board "
                                       "(PSCI_LINUX_FAULTS), or this one has no PSCI")


def cpu_on_fault(name, linux, **fault):
    # One hotplug round: CPU1 and CPU3 go off and on again, CPU2's second CPU_ON fails too.
    return psci_flash(name, linux, 4, 1, FAULT_CPU=2, FAULT_SKIP=1, ACK_TIMEOUT_MS=1000, **fault)


def check_linux_without_cpu2(run, released_and_failed):
    # muster brought all four up at boot; Linux's CPU_ON of CPU2 then failed.
    assert run.summary() == (4, 4), run.output
    check_muster_handoff(run, 4)
    assert run.has(r"psci: PSCIv1\.0 detected in firmware\.$"), run.output
    # INTERNAL_FAILURE, which Linux's PSCI code turns into -EINVAL.
    assert len([l for l in run.lines if l.endswith("CPU2: failed to boot: -22")]) == 2, run.output
    assert run.has(r"smp: Brought up 1 node, 3 CPUs$"), run.output
    assert run.has(r"^initramfs: cpus online 0-1,3$"), run.output
    # The loop: CPU2 cannot come online (2 failures: the write, and its state after it); the
    # others go off and on again through muster's pen.
    assert run.has(r"^initramfs: hotplug cycles 1 failures 2$"), run.output
    assert run.has(r"^initramfs: cpus online after hotplug 0-1,3$"), run.output
    # CPU1 and CPU3: on at boot, off and on in the loop; CPU2's two CPU_ONs failed, and of those
    # `released_and_failed` only after muster had released it again.
    on, on_failed, off, _ = psci_summary(run)
    assert (on, on_failed, off) == (4, released_and_failed, 2), run.output
    assert not run.has(r"Internal error|Oops|BUG:|Kernel panic"), run.output
    assert run.has(r"^initramfs: done$"), run.output


def test_cpu_on_of_a_core_that_never_arrives_fails_after_the_deadline(linux):
    """CPU2 stops before ARRIVED on its CPU_ON: ABANDON, INTERNAL_FAILURE after the 1 s deadline;
    the core stays OFF, so the next CPU_ON (the hotplug loop's) tries it again and fails the same way."""
    out = cpu_on_fault("psci-cpu-on-never", linux, FAULT="never", FAULT_STAGE="command")
    run = run_linux(out, 4, timeout=240)
    check_linux_without_cpu2(run, released_and_failed=2)  # abandoned, so released and timed out again


def test_cpu_on_of_a_core_that_hangs_after_proceed_is_never_retried(linux):
    """CPU2 takes PROCEED and never acknowledges: it may be running, so muster refuses it from then
    on (INTERNAL_FAILURE at once) and Linux runs on three CPUs."""
    out = cpu_on_fault("psci-cpu-on-hang", linux, FAULT="hang", FAULT_STAGE="proceed")
    run = run_linux(out, 4, timeout=240)
    check_linux_without_cpu2(run, released_and_failed=1)  # lost: the second CPU_ON is refused at once


def test_late_wakeups_reach_the_monitor_not_linux(linux):
    """A muster wake-up SGI that arrives after its CPU left the pen (every CPU_ON sends one more in
    this build) is a Secure FIQ: the monitor absorbs it, Linux never sees it and runs on."""
    rounds = 5
    out = psci_flash("psci-late-wake", linux, 4, rounds, FAULT="late-wake")
    run = run_linux(out, 4, timeout=240)
    assert run.summary() == (4, 4), run.output
    check_muster_handoff(run, 4)
    check_psci_linux(run, 4)
    check_hotplug(run, rounds, 3, "0-3")
    on, _, _, late = psci_summary(run)
    assert late >= on, run.output
