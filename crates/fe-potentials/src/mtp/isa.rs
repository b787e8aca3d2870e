//! Run-time choice of the instruction set the MTP kernel runs with.
//!
//! The default build targets baseline x86-64 (SSE2, two `f64` per register), so one binary
//! runs on any x86-64 CPU. The kernel's vector loops work on blocks of four values (four
//! pairs, or four of the eight atoms of a batch), which fill one AVX2 register; so every
//! kernel entry point ([`Job`]) is compiled twice, once for the baseline and once with AVX2
//! enabled, and [`Isa::detect`] picks one when the potential is built.
//!
//! Both variants perform the same IEEE-754 operations in the same order: AVX2 only widens
//! the registers (no fused multiply-add, which Rust never forms implicitly, and no
//! reassociation), so results are bit-identical between them, and a test checks it.
//! `FE_SIMD=baseline` in the environment forces the baseline variant.

/// The instruction set of the kernel. Only [`Isa::detect`] can choose AVX2, and it checks
/// the CPU first: that check is what makes calling the AVX2 variant sound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Isa {
    avx2: bool,
}

impl Isa {
    /// The baseline build (SSE2 on x86-64), valid on every CPU the binary runs on.
    pub(crate) const BASELINE: Isa = Isa { avx2: false };

    /// AVX2 when this CPU has it and `FE_SIMD` is not `baseline`; else the baseline.
    pub(crate) fn detect() -> Isa {
        let forced = std::env::var("FE_SIMD").is_ok_and(|v| v.eq_ignore_ascii_case("baseline"));
        if forced || !has_avx2() {
            Isa::BASELINE
        } else {
            Isa { avx2: true }
        }
    }

    /// Name for reports: `"avx2"` or `"baseline"`.
    pub(crate) fn name(self) -> &'static str {
        if self.avx2 {
            "avx2"
        } else {
            "baseline"
        }
    }

    /// Run `job` compiled for this instruction set.
    #[inline]
    pub(crate) fn run<J: Job>(self, job: J) -> J::Out {
        #[cfg(target_arch = "x86_64")]
        if self.avx2 {
            // SAFETY: `avx2` is true only in an `Isa` made by `detect`, after
            // `is_x86_feature_detected!("avx2")` found AVX2 on the CPU this runs on; that
            // is the one requirement of calling a `#[target_feature(enable = "avx2")]`
            // function.
            #[allow(unsafe_code)]
            return unsafe { run_avx2(job) };
        }
        job.run()
    }
}

/// A kernel entry point. Implementations mark `run` `#[inline(always)]` (and everything it
/// calls in the hot loops too), so that each variant of [`Isa::run`] compiles the whole
/// kernel for its instruction set.
pub(crate) trait Job {
    /// What the job returns.
    type Out;
    /// Do the work.
    fn run(self) -> Self::Out;
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn run_avx2<J: Job>(job: J) -> J::Out {
    job.run()
}

#[cfg(target_arch = "x86_64")]
fn has_avx2() -> bool {
    std::arch::is_x86_feature_detected!("avx2")
}

#[cfg(not(target_arch = "x86_64"))]
fn has_avx2() -> bool {
    false
}
