//! Runs the backtrace demo (examples/backtrace_demo.rs): a Cranelift-compiled guest
//! runtime entered through an entry trampoline, printing a backtrace from the boundary
//! records alone in the host function behind an exit trampoline.

#[allow(dead_code)]
#[path = "../examples/backtrace_demo.rs"]
mod demo;

#[test]
fn backtrace_from_the_records_names_every_guest_frame_up_to_the_entry() {
    for depth in [0, 1, 4] {
        let run = demo::run(depth);
        let mut expected = vec![Some("guest_helper"); depth as usize + 1];
        expected.push(Some("guest_main"));
        let functions: Vec<_> = run.frames.iter().map(|frame| frame.function).collect();
        assert_eq!(
            functions,
            expected,
            "depth {depth}:\n{}",
            run.lines.join("\n")
        );
        assert_eq!(run.lines.last().map(String::as_str), Some("-- entry --"));
        assert_eq!(run.lines.len(), run.frames.len() + 1);
        for (index, (frame, line)) in run.frames.iter().zip(&run.lines).enumerate() {
            let name = frame.function.unwrap();
            assert_eq!(line, &format!("#{index} {name}+{:#x}", frame.offset));
            assert!(frame.offset > 0, "a return address follows a call");
        }
        // Every recursive call returns to the same place in guest_helper; the innermost
        // frame is the exit PC, at the call of print_backtrace (a different call site).
        if depth > 0 {
            assert_eq!(run.frames[1].offset, run.frames[depth as usize].offset);
            assert_ne!(run.frames[0].offset, run.frames[1].offset);
        }
        // print_backtrace returns the frame count; each helper adds 1; main times 10.
        let frames = run.frames.len() as i64;
        assert_eq!(run.result, (frames + depth + 1) * 10, "depth {depth}");
    }
}
